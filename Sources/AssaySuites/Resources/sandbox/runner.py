# Assay's python-tests sandbox (docs/suite-format.md#python-tests, docs/security.md).
#
# Started by Assay as `python3 -I -S runner.py` (isolated, no site-packages), inside
# bubblewrap when the machine has it, with the request (the answer's code, the hidden tests, the
# limits) as JSON on stdin: an unlinked file, so nothing in the sandbox can open it by name.
#
# Two processes, because an answer runs with every power its own process has:
#   the judge   (this process) reads the request, runs the hidden tests and is the only one
#               that ever writes to stdout, one JSON line per event:
#                 {"event": "load", "ok": false, "error": "..."}   the answer did not run
#                 {"event": "test", "name": "test_x", "ok": true|false, "error": "..."}
#                 {"event": "blocked", "what": "..."}              the answer tried something refused
#                 {"event": "done", "dropped_to": "nobody"|null}
#   the answer  (answer.py: a fresh interpreter the judge forks and execs, so none of the judge's
#               memory comes with it; it never sees the tests) holds only /dev/null on fds 0-2
#               and its two pipe ends to the judge; it drops to nobody when started as root,
#               sets its kernel limits (no processes, CPU, memory, file size) and an audit hook,
#               then runs the code and serves the judge's calls.
# The tests call the answer's functions through proxies (wire.py): arguments and results
# cross the pipe as plain data (None, bool, int, float, str, bytes, list, tuple, dict, set), any
# other object stays in the answer and is reached through a handle. So every `assert` is evaluated
# in the judge, over values the judge built itself: the answer cannot reach the judge's stdout,
# frames, builtins or memory (the judge is not dumpable, so /proc/<judge>/mem, fd/ and environ
# are closed even to the same uid), and an answer that exits, hangs, writes junk to its pipe or
# returns an object with a lying __eq__ only fails its own tests.
import json, os, select, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # -I leaves the script's folder out
from wire import AnswerGone, TestTimeout, decode, describe, encode, monotonic, receive, send


LOAD_SECONDS = 5.0


class RemoteError(Exception):
    """An exception the answer raised whose type is not a builtin one."""


class Answer:
    """The answer's process, started fresh after a test that timed out or killed it."""
    def __init__(self, code, limits, workdir):
        inbox, to_answer = os.pipe()
        from_answer, outbox = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            # A fresh interpreter, not just a fork: a forked child would still hold the judge's
            # frames and memory (the hidden tests, `emit`) for the answer to find.
            try:
                os.set_inheritable(inbox, True)
                os.set_inheritable(outbox, True)
                os.execv(sys.executable, [sys.executable, "-I", "-S", "-B", os.path.join(HERE, "answer.py"),
                                          str(inbox), str(outbox)])
            finally:
                os._exit(127)
        os.close(inbox)
        os.close(outbox)
        self.to_answer, self.from_answer = to_answer, from_answer
        self.blocked = []
        self.names = None
        self.seq = 0
        try:
            send(to_answer, {"code": code, "limits": limits, "workdir": workdir})
        except OSError:
            pass  # it did not start: the first read says so

    def request(self, message, deadline):
        self.seq += 1
        try:
            send(self.to_answer, dict(message, seq=self.seq))
        except OSError:
            raise AnswerGone("the answer's process ended")
        return self.reply(deadline)

    def reply(self, deadline):
        """The answer's reply to the last request (numbered, so a stray message cannot pose as it)."""
        while True:
            message = receive(self.from_answer, deadline)
            if "blocked" in message:
                self.blocked.append(str(message["blocked"])[:300])
            elif message.get("seq", 0) == self.seq:
                return message

    def stop(self, grace=0.0):
        """Ends the process, after `grace` seconds for one that is already ending; how it had
        ended by itself, if it had ("exit status 0")."""
        for fd in (self.to_answer, self.from_answer):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            deadline = monotonic() + grace
            while pid == 0 and monotonic() < deadline:
                select.select([], [], [], 0.01)
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == 0:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                return None
        except OSError:
            return None
        if os.WIFSIGNALED(status):
            signal = os.WTERMSIG(status)
            return "killed by signal %d%s" % (signal, " at the CPU limit" if signal == 24 else "")
        return "exit status %d" % os.WEXITSTATUS(status)


def proxy_class(call):
    """Remote: an object that stays in the answer's process. Comparisons stay local (identity),
    so an answer cannot hand the tests an object that equals everything."""
    class Remote:
        __slots__ = ("_id", "_type")
        def __init__(self, ident, kind):
            object.__setattr__(self, "_id", ident)
            object.__setattr__(self, "_type", kind)
        def __call__(self, *args, **kwargs):
            return call("call", self, args, kwargs)
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return call("attr", self, name)
        def __iter__(self):
            return call("iter", self)
        def __next__(self):
            return call("next", self)
        def __len__(self):
            return call("len", self)
        def __bool__(self):
            return call("bool", self)
        def __getitem__(self, key):
            return call("item", self, key)
        def __contains__(self, item):
            return call("contains", self, item)
        def __repr__(self):
            return "<the answer's %s>" % self._type
    return Remote


def judge(request, out):
    limits = request.get("limits", {})
    per_test = float(limits.get("test_seconds", 2))
    # Loading starts a fresh interpreter before the answer's top-level code runs: on a busy
    # machine that alone can take a second, which is not the answer's fault. So loading gets at
    # least LOAD_SECONDS; the whole run still ends at timeout_seconds.
    per_load = max(per_test, LOAD_SECONDS)
    workdir = os.path.realpath(os.getcwd())
    emitted = set()
    def emit(obj):
        os.write(out, (json.dumps(obj) + "\n").encode("utf-8", "replace"))
    def report(answer):
        for what in answer.blocked:
            if what not in emitted and len(emitted) < 20:
                emitted.add(what)
                emit({"event": "blocked", "what": what})

    state = {"answer": None}
    def call(op, target, *args):
        answer = state["answer"]
        if answer is None or answer.names is None:
            raise AnswerGone("the answer's process is not running")
        encoded = [{"h": [target._id, target._type]}] + [encode(a, refuse_object) for a in args]
        reply = answer.request({"op": op, "args": encoded}, state["deadline"])
        if op == "call" and "after" in reply:
            after = decode(reply["after"], remote)
            if type(after) is list and len(after) == 2 and type(after[0]) is list and type(after[1]) is dict:
                for old, new in zip(args[0], after[0]):
                    sync(old, new)
                for key, old in args[1].items():
                    if key in after[1]:
                        sync(old, after[1][key])
        if "ok" in reply:
            return decode(reply["ok"], remote)
        if "err" in reply:
            raise remote_exception(reply["err"])
        # Anything else is a forgery or junk: the process is replaced before the next test.
        raise AnswerGone("the answer broke the sandbox protocol")
    Remote = proxy_class(call)
    def remote(body):
        kind = str(body[1])[:80]
        # A module the answer imported: the judge's own copy when it has one.
        if kind.startswith("module ") and kind[7:] in sys.modules:
            return sys.modules[kind[7:]]
        return Remote(int(body[0]), kind)

    def start():
        """A fresh answer process; its top-level names, or the reason it did not load."""
        answer = Answer(request["code"], limits, workdir)
        state["answer"] = answer
        try:
            message = answer.reply((monotonic() + per_load, "loading took longer than %g s" % per_load))
        except (AnswerGone, TestTimeout) as error:
            ended = answer.stop(grace=0.3 if isinstance(error, AnswerGone) else 0)
            message = {"load": str(error) + (" (%s)" % ended if ended else "")}
        report(answer)
        if "load" in message:
            return None, str(message["load"])[:300]
        answer.names = message.get("names")
        if not isinstance(answer.names, dict):
            return None, "the answer broke the sandbox protocol"
        return {str(k): decode(v, remote) for k, v in answer.names.items()}, None

    names, error = start()
    if error is not None:
        state["answer"].stop()
        emit({"event": "load", "ok": False, "error": error})
        return
    namespace = dict(names, __name__="tests")
    state["deadline"] = (monotonic() + per_test, "loading the tests took longer than %g s" % per_test)
    try:
        exec(compile(request["tests"], "tests.py", "exec"), namespace)
    except BaseException as error:
        state["answer"].stop()
        emit({"event": "load", "ok": False, "error": "the tests failed to load: " + describe(error)})
        return
    # Assay names the tests (read from the test code), so an answer cannot add or hide one.
    for name in request["test_names"]:
        if state["answer"] is None:
            fresh, error = start()
            if fresh is None:
                # The next test tries a fresh process again rather than calling a dead one.
                state["answer"].stop()
                state["answer"] = None
                emit({"event": "test", "name": name, "ok": False, "error": error})
                continue
            # The fresh process's names replace the old ones, except where the tests defined their own.
            namespace.update({k: v for k, v in fresh.items() if k not in namespace or namespace[k] is names.get(k)})
            names = fresh
        state["deadline"] = (monotonic() + per_test, "exceeded the per-test limit of %g s" % per_test)
        try:
            namespace[name]()
            emit({"event": "test", "name": name, "ok": True})
        except BaseException as error:
            text = describe(error)
            if isinstance(error, (AnswerGone, TestTimeout)):
                ended = state["answer"].stop(grace=0.3 if isinstance(error, AnswerGone) else 0)
                state["answer"] = None
                if ended:
                    text += " (%s)" % ended
            emit({"event": "test", "name": name, "ok": False, "error": text})
        finally:
            if state["answer"] is not None:
                report(state["answer"])
    if state["answer"] is not None:
        state["answer"].stop()


def sync(old, new):
    """Copies the answer's in-place changes to an argument back into the test's own object
    (copy in, copy out: as if the answer had been handed the object itself)."""
    kind = type(old)
    if kind is not type(new) or kind not in (dict, list, set, bytearray):
        return
    if kind is dict:
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            if key in old and type(old[key]) is type(value) and type(value) in (dict, list, set, bytearray):
                sync(old[key], value)
            else:
                old[key] = value
    elif kind is list and len(old) == len(new):
        for index, value in enumerate(new):
            if type(old[index]) is type(value) and type(value) in (dict, list, set, bytearray):
                sync(old[index], value)
            else:
                old[index] = value
    elif kind is set:
        old.clear()
        old.update(new)
    else:
        old[:] = new


def refuse_object(value):
    raise TypeError("the sandbox passes only plain data to the answer, not %s" % type(value).__name__)


def remote_exception(err):
    import builtins
    kind, message = (str(err[0])[:80], str(err[1])[:300]) if isinstance(err, list) and len(err) == 2 else ("Error", "?")
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == "builtins":
        try:
            return cls(message)
        except Exception:
            pass
    return RemoteError("%s: %s" % (kind, message))


def non_dumpable():
    """PR_SET_DUMPABLE 0: the answer, even as the same uid, cannot open /proc/<judge>/mem, fd or environ."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) == 0
    except Exception:
        return False


def main():
    with os.fdopen(os.dup(0), "rb") as stdin:
        request = json.loads(stdin.read().decode("utf-8"))
    out = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    if not non_dumpable():
        os.write(out, b'{"event": "note", "what": "the judge could not make itself non-dumpable"}\n')
    judge(request, out)
    os.write(out, (json.dumps({"event": "done", "dropped_to": "nobody" if os.geteuid() == 0 else None}) + "\n").encode())


if __name__ == "__main__":
    main()
