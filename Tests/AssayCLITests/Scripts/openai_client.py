"""Drives `assay serve` with the official openai SDK, as a service would: routed, streamed,
passed through, and a refused request. Prints one JSON object with what it saw."""
import json
import sys

import openai

base_url = sys.argv[1]
client = openai.OpenAI(base_url=base_url, api_key="unused-by-assay-serve")
seen = {}

raw = client.chat.completions.with_raw_response.create(
    model="auto:math", messages=[{"role": "user", "content": sys.argv[2]}])
completion = raw.parse()
seen["routed_model"] = completion.model
seen["routed_text"] = completion.choices[0].message.content
seen["routed_header"] = raw.headers.get("x-assay-route")
seen["routed_usage"] = completion.usage.total_tokens

stream = client.chat.completions.create(
    model="auto", messages=[{"role": "user", "content": sys.argv[2]}], stream=True,
    stream_options={"include_usage": True})
pieces, usage = [], None
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        pieces.append(chunk.choices[0].delta.content)
    if chunk.usage:
        usage = chunk.usage.total_tokens
seen["streamed_text"] = "".join(pieces)
seen["streamed_usage"] = usage

passthrough = client.chat.completions.create(model="sim/pebble-1", messages=[{"role": "user", "content": "hello"}])
seen["passthrough_model"] = passthrough.model

try:
    client.chat.completions.create(model="nobody/nothing", messages=[{"role": "user", "content": "hi"}])
    seen["unknown_model"] = "accepted"
except openai.NotFoundError as error:
    seen["unknown_model"] = error.body.get("code") if isinstance(error.body, dict) else str(error.body)

print(json.dumps(seen))
