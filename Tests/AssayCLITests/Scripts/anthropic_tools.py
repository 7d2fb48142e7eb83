"""Drives `assay serve`'s Messages ingress with the anthropic SDK: tools to a model whose
upstream speaks OpenAI's format, the tool result back, a streamed tool_use block, and stop
sequences. Prints one JSON object."""
import json
import sys

import anthropic

base_url, model, anthropic_model = sys.argv[1], sys.argv[2], sys.argv[3]
client = anthropic.Anthropic(base_url=base_url, api_key="unused-by-assay-serve")
tools = [{"name": "get_weather", "description": "Current weather for a city",
          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
question = [{"role": "user", "content": "What is the weather in Paris?"}]
seen = {}

# The system prompt as a list of blocks, as Claude Code sends it.
message = client.messages.create(model=model, max_tokens=1024, tools=tools, messages=question, timeout=60,
                                 system=[{"type": "text", "text": "Use the tools when they help."}])
uses = [block for block in message.content if block.type == "tool_use"]
seen["stop_reason"] = message.stop_reason
seen["tool_uses"] = [{"id": block.id, "name": block.name, "input": block.input} for block in uses]

if uses:
    follow = question + [
        {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in message.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": uses[0].id, "content": "18 degrees and sunny"}]}]
    reply = client.messages.create(model=model, max_tokens=1024, tools=tools, messages=follow, timeout=60)
    seen["answer"] = "".join(block.text for block in reply.content if block.type == "text")
    seen["answer_stop"] = reply.stop_reason

with client.messages.stream(model=model, max_tokens=1024, tools=tools, messages=question, timeout=60) as stream:
    final = stream.get_final_message()
    seen["streamed_stop"] = final.stop_reason
    seen["streamed_tool_uses"] = [{"name": block.name, "input": block.input} for block in final.content if block.type == "tool_use"]

hello = [{"role": "user", "content": "Say hello"}]
seen["plain"] = client.messages.create(model=model, max_tokens=1024, messages=hello, timeout=60).content[0].text
stopped = client.messages.create(model=model, max_tokens=1024, messages=hello, stop_sequences=["simulated"], timeout=60)
seen["stopped"] = "".join(block.text for block in stopped.content if block.type == "text")
seen["stopped_reason"] = stopped.stop_reason
native = client.messages.create(model=anthropic_model, max_tokens=1024, messages=hello, stop_sequences=["simulated"], timeout=60)
seen["native_stopped_reason"] = native.stop_reason
seen["native_stop_sequence"] = native.stop_sequence
print(json.dumps(seen))
