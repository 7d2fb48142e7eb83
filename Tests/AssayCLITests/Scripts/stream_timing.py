"""Times a streamed answer from `assay serve` with both SDKs: seconds to the first text delta
and to the end, the joined deltas, the same request unstreamed, and the usage reported (for
Anthropic also the input tokens in `message_start`).
Prints one JSON object."""
import json
import sys
import time

import anthropic
import openai

base_url, model = sys.argv[1], sys.argv[2]
prompt = [{"role": "user", "content": "Please describe the weather over the sea in a few sentences."}]
seen = {}

client = openai.OpenAI(base_url=base_url + "/v1", api_key="unused-by-assay-serve")
started, first, pieces, usage = time.monotonic(), None, [], None
for chunk in client.chat.completions.create(model=model, messages=prompt, stream=True, stream_options={"include_usage": True}, timeout=60):
    if chunk.choices and chunk.choices[0].delta.content:
        first = first if first is not None else time.monotonic() - started
        pieces.append(chunk.choices[0].delta.content)
    if chunk.usage:
        usage = chunk.usage.completion_tokens
seen["openai"] = {"first": first, "total": time.monotonic() - started, "pieces": len(pieces), "text": "".join(pieces), "usage": usage,
                  "plain": client.chat.completions.create(model=model, messages=prompt, timeout=60).choices[0].message.content}

claude = anthropic.Anthropic(base_url=base_url, api_key="unused-by-assay-serve")
started, first, pieces, start_input = time.monotonic(), None, [], None
with claude.messages.stream(model=model, max_tokens=1024, messages=prompt, timeout=60) as stream:
    for event in stream:
        if event.type == "message_start":
            start_input = event.message.usage.input_tokens
        elif event.type == "text":
            first = first if first is not None else time.monotonic() - started
            pieces.append(event.text)
    final = stream.get_final_message()
seen["anthropic"] = {"first": first, "total": time.monotonic() - started, "pieces": len(pieces), "text": "".join(pieces),
                     "usage": final.usage.output_tokens, "input": final.usage.input_tokens, "start_input": start_input,
                     "plain": claude.messages.create(model=model, max_tokens=1024, messages=prompt, timeout=60).content[0].text}
print(json.dumps(seen))
