"""Drives `assay serve` with the openai SDK: tools to a model whose upstream speaks another
format, the tool result back, a streamed tool call, and a stop sequence. Prints one JSON object."""
import json
import sys

import openai

base_url, model, gemini_model = sys.argv[1], sys.argv[2], sys.argv[3]
client = openai.OpenAI(base_url=base_url, api_key="unused-by-assay-serve")
tools = [{"type": "function", "function": {
    "name": "get_weather", "description": "Current weather for a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
question = [{"role": "user", "content": "What is the weather in Paris?"}]
seen = {}

first = client.chat.completions.create(model=model, messages=question, tools=tools, timeout=60)
choice = first.choices[0]
calls = choice.message.tool_calls or []
seen["finish"] = choice.finish_reason
seen["calls"] = [{"id": c.id, "name": c.function.name, "arguments": json.loads(c.function.arguments)} for c in calls]

if calls:
    follow = question + [
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}} for c in calls]},
        {"role": "tool", "tool_call_id": calls[0].id, "content": "18 degrees and sunny"}]
    second = client.chat.completions.create(model=model, messages=follow, tools=tools, timeout=60)
    seen["answer"] = second.choices[0].message.content
    seen["answer_finish"] = second.choices[0].finish_reason

names, arguments, finish = [], "", None
for chunk in client.chat.completions.create(model=model, messages=question, tools=tools, stream=True, timeout=60):
    for delta in chunk.choices:
        for call in delta.delta.tool_calls or []:
            if call.function and call.function.name:
                names.append(call.function.name)
            if call.function and call.function.arguments:
                arguments += call.function.arguments
        finish = delta.finish_reason or finish
seen["streamed_names"] = names
seen["streamed_arguments"] = json.loads(arguments) if arguments else None
seen["streamed_finish"] = finish

raw = client.chat.completions.with_raw_response.create(model=gemini_model, messages=question, tools=tools, timeout=60)
gemini = raw.parse()
gemini_calls = gemini.choices[0].message.tool_calls or []
seen["gemini_calls"] = [c.function.name for c in gemini_calls]
raw_message = json.loads(raw.text)["choices"][0]["message"]
seen["gemini_raw_content"] = "content" in raw_message and raw_message["content"] is None
if gemini_calls:
    # The OpenAI format cannot carry Gemini's thought signature: the replayed call goes back without it.
    follow = question + [
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}} for c in gemini_calls]},
        {"role": "tool", "tool_call_id": gemini_calls[0].id, "content": "18 degrees and sunny"}]
    seen["gemini_answer"] = client.chat.completions.create(model=gemini_model, messages=follow, tools=tools, timeout=60).choices[0].message.content

hello = [{"role": "user", "content": "Say hello"}]
seen["plain"] = client.chat.completions.create(model=model, messages=hello, timeout=60).choices[0].message.content
stopped = client.chat.completions.create(model=model, messages=hello, stop=["simulated"], timeout=60)
seen["stopped"] = stopped.choices[0].message.content
seen["stopped_finish"] = stopped.choices[0].finish_reason
print(json.dumps(seen))
