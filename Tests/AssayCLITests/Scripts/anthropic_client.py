"""Drives `assay serve`'s Messages ingress with the official anthropic SDK: routed, streamed,
and a refused request. Prints one JSON object with what it saw."""
import json
import sys

import anthropic

client = anthropic.Anthropic(base_url=sys.argv[1], api_key="unused-by-assay-serve")
seen = {}

raw = client.messages.with_raw_response.create(
    model="auto:math", max_tokens=1024, system="Answer with the number only.",
    messages=[{"role": "user", "content": sys.argv[2]}])
message = raw.parse()
seen["routed_model"] = message.model
seen["routed_text"] = "".join(block.text for block in message.content if block.type == "text")
seen["routed_header"] = raw.headers.get("x-assay-route")
seen["output_tokens"] = message.usage.output_tokens

with client.messages.stream(model="auto", max_tokens=1024, messages=[{"role": "user", "content": sys.argv[2]}]) as stream:
    seen["streamed_text"] = "".join(stream.text_stream)
    final = stream.get_final_message()
    seen["streamed_stop"] = final.stop_reason
    seen["streamed_output_tokens"] = final.usage.output_tokens

try:
    client.messages.create(model="auto:poetry", max_tokens=10, messages=[{"role": "user", "content": "hi"}])
    seen["unknown_task"] = "accepted"
except anthropic.BadRequestError as error:
    seen["unknown_task"] = error.body["error"]["type"] if isinstance(error.body, dict) else str(error.body)

print(json.dumps(seen))
