# Assay's python-tests sandbox (docs/suite-format.md#python-tests).
#
# Started by Assay as `python3 -I -S sandbox_runner.py` (isolated, no site-packages) in a fresh temporary directory, inside
# a network namespace when the machine allows it. It reads request.json (the answer's code
# and the hidden tests) and deletes it, locks the process down, runs the code, then each test_*
# function on its own, and writes one JSON line per event to the stdout it started with:
#   {"event": "load", "ok": false, "error": "..."}      the answer did not even run
#   {"event": "test", "name": "test_x", "ok": true|false, "error": "..."}
#   {"event": "blocked", "what": "..."}                 the audit hook refused something
#   {"event": "done", "dropped_to": "nobody"|null}
# Limits come from the kernel (setrlimit; a user other than root so RLIMIT_NPROC holds); an
# audit hook also refuses writes outside the directory, sockets, processes and ctypes, so an
# escape attempt gets a readable reason. Assay kills the whole sandbox on its wall-clock limit.
import json, os, resource, signal, sys

# Modules an answer or a test commonly imports, loaded before privileges are dropped when the
# interpreter's own files are not readable by the unprivileged user (e.g. a pyenv under /root).
PRELOAD = ["collections", "collections.abc", "itertools", "functools", "math", "cmath", "re", "heapq", "bisect",
           "string", "typing", "dataclasses", "datetime", "decimal", "fractions", "statistics", "random",
           "operator", "copy", "textwrap", "unicodedata", "enum", "json", "array", "struct", "io", "abc",
           "numbers", "contextlib", "traceback", "types", "calendar", "hashlib", "base64", "binascii",
           "weakref", "pprint", "difflib", "zlib", "time", "warnings", "inspect", "graphlib", "queue", "ast",
           "secrets", "codecs", "locale", "keyword", "tokenize", "html", "csv", "shlex", "fnmatch", "glob",
           "pathlib", "tempfile", "shutil"]
FORBIDDEN_MODULES = {"ctypes", "_ctypes", "_posixsubprocess", "subprocess", "multiprocessing", "socket", "_socket",
                     "ssl", "_ssl", "select", "selectors", "asyncio", "pty", "fcntl", "mmap", "resource", "signal",
                     "urllib.request", "http.client", "ftplib", "smtplib", "telnetlib", "concurrent.futures"}
NOBODY = 65534


class TestTimeout(BaseException):
    pass


class Capped:
    """Stands in for sys.stdout / sys.stderr: keeps nothing, counts what was written."""
    def __init__(self):
        self.written = 0
    def write(self, text):
        self.written += len(text)
        return len(text)
    def flush(self):
        pass
    def isatty(self):
        return False


def main():
    request_path = os.path.join(os.getcwd(), "request.json")
    with open(request_path, "r", encoding="utf-8") as f:
        request = json.load(f)
    os.remove(request_path)
    limits = request.get("limits", {})
    workdir = os.path.realpath(os.getcwd())
    if os.geteuid() == 0 and not readable_by_others(os.path.dirname(os.__file__)):
        for name in PRELOAD:
            try:
                __import__(name)
            except Exception:
                pass

    out = os.dup(1)
    def emit(obj):
        data = (json.dumps(obj) + "\n").encode("utf-8", "replace")
        try:
            os.write(out, data)
        except OSError:
            pass

    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.stdout = Capped()
    sys.stderr = Capped()

    dropped = None
    if os.geteuid() == 0:
        # Root ignores RLIMIT_NPROC, so run the answer as nobody.
        try:
            os.chown(workdir, NOBODY, NOBODY)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            dropped = "nobody"
        except OSError as error:
            emit({"event": "note", "what": "could not drop root: %s" % error})

    cpu = int(limits.get("cpu_seconds", 5))
    memory = int(limits.get("memory_mb", 512)) * 1024 * 1024
    fsize = int(limits.get("file_mb", 10)) * 1024 * 1024
    for which, value in ((resource.RLIMIT_CPU, (cpu, cpu + 1)), (resource.RLIMIT_AS, (memory, memory)),
                         (resource.RLIMIT_FSIZE, (fsize, fsize)), (resource.RLIMIT_NPROC, (0, 0)),
                         (resource.RLIMIT_NOFILE, (64, 64)), (resource.RLIMIT_CORE, (0, 0))):
        try:
            resource.setrlimit(which, value)
        except (ValueError, OSError) as error:
            emit({"event": "note", "what": "setrlimit %s: %s" % (which, error)})

    blocked = []
    def refuse(what):
        if len(blocked) < 20:
            blocked.append(what)
            emit({"event": "blocked", "what": what})
        raise PermissionError("sandbox: " + what)

    def inside(path):
        if isinstance(path, int):
            return True
        if isinstance(path, bytes):
            path = path.decode("utf-8", "replace")
        full = os.path.realpath(os.path.join(workdir, os.fspath(path)))
        return full == workdir or full.startswith(workdir + os.sep)

    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    path_events = {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.symlink",
                   "os.link", "os.truncate", "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move",
                   "os.chdir", "os.chroot"}
    process_events = {"os.fork", "os.forkpty", "os.posix_spawn", "os.exec", "os.spawn", "os.system",
                      "subprocess.Popen", "os.kill", "os.killpg", "pty.spawn", "os.startfile"}

    def hook(event, args):
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & write_flags
            if writing and path is not None and not inside(path):
                refuse("writing outside the working directory: %r" % (path,))
        elif event in path_events:
            for arg in args:
                if isinstance(arg, (str, bytes, os.PathLike)) and not inside(arg):
                    refuse("%s outside the working directory: %r" % (event, arg))
        elif event.startswith("socket."):
            refuse("network access (%s)" % event)
        elif event in process_events:
            refuse("starting or signalling processes (%s)" % event)
        elif event.startswith("ctypes."):
            refuse("ctypes (%s)" % event)
        elif event == "import" and args[0] in FORBIDDEN_MODULES:
            refuse("importing %s" % args[0])
    for name in list(sys.modules):
        if name in FORBIDDEN_MODULES and name not in ("signal", "resource"):
            del sys.modules[name]
    sys.addaudithook(hook)

    per_test = float(limits.get("test_seconds", 2))
    def on_alarm(signum, frame):
        raise TestTimeout("test took longer than %g s" % per_test)
    signal.signal(signal.SIGALRM, on_alarm)
    # The answer's code cannot reach these through sys.modules any more.
    setitimer, ITIMER_REAL = signal.setitimer, signal.ITIMER_REAL
    for name in ("signal", "resource"):
        sys.modules.pop(name, None)

    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        setitimer(ITIMER_REAL, per_test)
        exec(compile(request["code"], "solution.py", "exec"), namespace)
        setitimer(ITIMER_REAL, 0)
    except BaseException as error:
        setitimer(ITIMER_REAL, 0)
        emit({"event": "load", "ok": False, "error": describe(error)})
        emit({"event": "done", "dropped_to": dropped})
        return
    try:
        exec(compile(request["tests"], "tests.py", "exec"), namespace)
    except BaseException as error:
        emit({"event": "load", "ok": False, "error": "the tests failed to load: " + describe(error)})
        emit({"event": "done", "dropped_to": dropped})
        return
    # Assay names the tests (read from the test code), so an answer cannot add or hide one.
    for name in request["test_names"]:
        try:
            setitimer(ITIMER_REAL, per_test)
            namespace[name]()
            setitimer(ITIMER_REAL, 0)
            emit({"event": "test", "name": name, "ok": True})
        except BaseException as error:
            setitimer(ITIMER_REAL, 0)
            emit({"event": "test", "name": name, "ok": False, "error": describe(error)})
    emit({"event": "done", "dropped_to": dropped})


def readable_by_others(path):
    """Whether nobody can read the standard library at path (every folder up to / searchable)."""
    path = os.path.realpath(path)
    while True:
        try:
            if os.stat(path).st_mode & 0o005 != 0o005:
                return False
        except OSError:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def describe(error):
    text = "%s: %s" % (type(error).__name__, error)
    return text if len(text) <= 300 else text[:300] + "..."


main()
