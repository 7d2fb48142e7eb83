# The answer's process (docs/security.md): exec'd by the judge (runner.py) with two pipe ends,
# it receives the code and limits, locks itself down (nobody when root, rlimits, an audit hook),
# runs the code and serves the judge's calls. It never sees the tests.
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder out
from wire import AnswerGone, decode, describe, encode, receive, send

FORBIDDEN_MODULES = {"ctypes", "_ctypes", "_posixsubprocess", "subprocess", "multiprocessing", "socket", "_socket",
                     "ssl", "_ssl", "select", "selectors", "asyncio", "pty", "fcntl", "mmap", "resource", "signal",
                     "urllib.request", "http.client", "ftplib", "smtplib", "telnetlib", "concurrent.futures", "termios",
                     "_posixshmem"}
# Modules an answer or a test commonly imports, loaded before the answer drops root when the
# interpreter's own files are not readable by nobody (e.g. a pyenv under /root).
PRELOAD = ["collections", "collections.abc", "itertools", "functools", "math", "cmath", "re", "heapq", "bisect",
           "string", "typing", "dataclasses", "datetime", "decimal", "fractions", "statistics", "random",
           "operator", "copy", "textwrap", "unicodedata", "enum", "array", "struct", "io", "abc",
           "numbers", "contextlib", "traceback", "types", "calendar", "hashlib", "base64", "binascii",
           "weakref", "pprint", "difflib", "zlib", "time", "warnings", "inspect", "graphlib", "queue", "ast",
           "secrets", "codecs", "locale", "keyword", "tokenize", "html", "csv", "shlex", "fnmatch", "glob",
           "pathlib", "tempfile", "shutil"]
NOBODY = 65534


def serve_answer(code, limits, inbox, outbox, workdir):
    """In the answer's process: lock down, run the answer, then serve the judge's calls until EOF."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    keep = sorted({0, 1, 2, inbox, outbox})
    for low, high in zip(keep, keep[1:] + [65536]):
        os.closerange(low + 1, high)
    sys.stdout = sys.stderr = Discard()
    import resource  # before dropping root: the interpreter's files may be readable by root only
    if os.geteuid() == 0:
        # Root ignores RLIMIT_NPROC and can read the judge: run the answer as nobody.
        try:
            os.chown(workdir, NOBODY, NOBODY)  # without bubblewrap; its tmpfs is already 1777
        except OSError:
            pass
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    cpu = int(limits.get("cpu_seconds", 5))
    memory = int(limits.get("memory_mb", 512)) << 20
    fsize = int(limits.get("file_mb", 10)) << 20
    for which, value in ((resource.RLIMIT_CPU, (cpu, cpu + 1)), (resource.RLIMIT_AS, (memory, memory)),
                         (resource.RLIMIT_FSIZE, (fsize, fsize)), (resource.RLIMIT_NPROC, (0, 0)),
                         (resource.RLIMIT_NOFILE, (64, 64)), (resource.RLIMIT_CORE, (0, 0))):
        resource.setrlimit(which, value)
    tell = lambda message, send=send, outbox=outbox: send(outbox, message)
    sys.addaudithook(audit_hook(workdir, tell))
    for name in list(sys.modules):
        if name in FORBIDDEN_MODULES or name.split(".")[0] in ("resource", "signal", "ctypes"):
            del sys.modules[name]

    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    objects = []
    def handle(value):
        objects.append(value)
        kind = "module " + value.__name__ if isinstance(value, type(os)) else type(value).__name__
        return {"h": [len(objects) - 1, kind]}
    def resolve(body):
        return objects[int(body[0])]
    try:
        exec(compile(code, "solution.py", "exec"), namespace)
        names = {k: encode(v, handle) for k, v in namespace.items() if not k.startswith("__")}
    except BaseException as error:
        tell({"load": describe(error)})
        os._exit(0)
    tell({"names": names})
    operations = {
        "call": lambda target, args, kwargs: target(*args, **kwargs),
        "attr": lambda target, name: getattr(target, name),
        "iter": iter, "next": next, "len": len, "bool": bool,
        "item": lambda target, key: target[key],
        "contains": lambda target, item: item in target,
        "repr": lambda target: repr(target)[:200],
    }
    while True:
        try:
            request = receive(inbox)
        except AnswerGone:
            os._exit(0)
        arguments = []
        try:
            arguments = [decode(argument, resolve) for argument in request["args"]]
            if request["op"] == "call":
                arguments[2] = {str(k): v for k, v in arguments[2].items()}
            reply = {"ok": encode(operations[request["op"]](*arguments), handle)}
        except BaseException as error:
            reply = {"err": [type(error).__name__, describe(error, prefix=False)]}
        if request.get("op") == "call" and len(arguments) == 3:
            # The arguments as the call left them, so that the judge sees in-place changes.
            try:
                reply["after"] = encode([list(arguments[1]), arguments[2]], handle)
            except BaseException:
                pass
        reply["seq"] = request.get("seq")
        tell(reply)


def audit_hook(workdir, tell):
    blocked = []
    def refuse(what):
        if len(blocked) < 20:
            blocked.append(what)
            tell({"blocked": what})
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
                      "subprocess.Popen", "os.kill", "os.killpg", "pty.spawn", "os.startfile", "os.pidfd_open"}

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
        elif event in ("sys.settrace", "sys.setprofile", "sys._current_frames"):
            refuse("tracing (%s)" % event)
        elif event == "import" and (args[0] in FORBIDDEN_MODULES or args[0].split(".")[0] == "ctypes"):
            refuse("importing %s" % args[0])
    return hook


class Discard:
    """Stands in for sys.stdout / sys.stderr in the answer: keeps nothing."""
    def write(self, text):
        return len(text)
    def flush(self):
        pass
    def isatty(self):
        return False


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


def answer_main(inbox, outbox):
    """The answer's process, exec'd by Answer: its request, then serve_answer."""
    request = receive(inbox)
    if os.geteuid() == 0 and not readable_by_others(os.path.dirname(os.__file__)):
        for name in PRELOAD:
            try:
                __import__(name)
            except Exception:
                pass
    serve_answer(request["code"], request["limits"], inbox, outbox, request["workdir"])


if __name__ == "__main__":
    answer_main(int(sys.argv[1]), int(sys.argv[2]))
