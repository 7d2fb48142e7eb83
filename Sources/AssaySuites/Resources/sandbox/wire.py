# The pipe between the judge (runner.py) and the answer's process (answer.py): length-prefixed
# JSON messages, values tagged so that tuples, sets and bytes survive and anything else crosses
# as a handle to an object that stays in the answer's process.
import json, os, select

MAX_MESSAGE = 8 << 20  # bytes


# BaseException, so that a test's own `except Exception:` cannot swallow them.
class TestTimeout(BaseException):
    pass


class AnswerGone(BaseException):
    """The answer's process ended, hung or broke the protocol: the current test fails."""


def encode(value, handle):
    """Plain data as JSON; anything else through handle(value), which may refuse (the judge)."""
    if value is None or isinstance(value, (bool, str)) or type(value) in (int, float):
        return value
    kind = type(value)
    if kind is list:
        return {"l": [encode(v, handle) for v in value]}
    if kind is tuple:
        return {"t": [encode(v, handle) for v in value]}
    if kind is dict:
        return {"d": [[encode(k, handle), encode(v, handle)] for k, v in value.items()]}
    if kind in (set, frozenset):
        return {"s" if kind is set else "f": [encode(v, handle) for v in value]}
    if kind in (bytes, bytearray):
        return {"b" if kind is bytes else "ba": value.hex()}
    if kind is complex:
        return {"c": [value.real, value.imag]}
    return handle(value)


def decode(obj, resolve):
    if not isinstance(obj, dict):
        return obj
    [(tag, body)] = obj.items()
    if tag == "l":
        return [decode(v, resolve) for v in body]
    if tag == "t":
        return tuple(decode(v, resolve) for v in body)
    if tag == "d":
        return {decode(k, resolve): decode(v, resolve) for k, v in body}
    if tag in ("s", "f"):
        items = (decode(v, resolve) for v in body)
        return set(items) if tag == "s" else frozenset(items)
    if tag in ("b", "ba"):
        return bytes.fromhex(body) if tag == "b" else bytearray.fromhex(body)
    if tag == "c":
        return complex(float(body[0]), float(body[1]))
    if tag == "h":
        return resolve(body)
    raise ValueError("unknown tag %r" % tag)


def send(fd, message, write=os.write):
    data = json.dumps(message).encode("utf-8", "replace")
    data = len(data).to_bytes(4, "big") + data
    while data:
        data = data[write(fd, data):]


def receive(fd, deadline=None):
    """One message, or AnswerGone at EOF, at the deadline, or on anything malformed."""
    header = read_exactly(fd, 4, deadline)
    size = int.from_bytes(header, "big")
    if size > MAX_MESSAGE:
        raise AnswerGone("the answer sent a message of %d bytes (limit %d)" % (size, MAX_MESSAGE))
    try:
        message = json.loads(read_exactly(fd, size, deadline).decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise AnswerGone("the answer broke the sandbox protocol (%s)" % type(error).__name__)
    if not isinstance(message, dict):
        raise AnswerGone("the answer broke the sandbox protocol")
    return message


def read_exactly(fd, size, deadline):
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline[0] - monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TestTimeout(deadline[1])
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise AnswerGone("the answer's process ended")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def monotonic():
    return os.times().elapsed


def describe(error, prefix=True):
    text = ("%s: %s" % (type(error).__name__, error)) if prefix else str(error)
    return text if len(text) <= 300 else text[:300] + "..."
