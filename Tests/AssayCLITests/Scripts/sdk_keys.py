"""Drives `assay serve` with client keys through the official openai and anthropic SDKs: the
key works in each SDK's own header, a wrong key raises the SDK's AuthenticationError, and a key
past its rate limit raises RateLimitError (retries off). Prints one JSON object."""
import json
import sys

import anthropic
import openai

root, key, prompt = sys.argv[1], sys.argv[2], sys.argv[3]
seen = {}

client = openai.OpenAI(base_url=root + "/v1", api_key=key, max_retries=0)
seen["openai_model"] = client.chat.completions.create(
    model="auto", messages=[{"role": "user", "content": prompt}]).model
claude = anthropic.Anthropic(base_url=root, api_key=key, max_retries=0)
seen["anthropic_model"] = claude.messages.create(
    model="auto", max_tokens=256, messages=[{"role": "user", "content": prompt}]).model

try:
    openai.OpenAI(base_url=root + "/v1", api_key="sk-assay-not-a-key", max_retries=0).chat.completions.create(
        model="auto", messages=[{"role": "user", "content": prompt}])
    seen["openai_wrong_key"] = "accepted"
except openai.AuthenticationError as error:
    seen["openai_wrong_key"] = error.body.get("code") if isinstance(error.body, dict) else str(error.body)
try:
    anthropic.Anthropic(base_url=root, api_key="sk-assay-not-a-key", max_retries=0).messages.create(
        model="auto", max_tokens=256, messages=[{"role": "user", "content": prompt}])
    seen["anthropic_wrong_key"] = "accepted"
except anthropic.AuthenticationError as error:
    seen["anthropic_wrong_key"] = error.body["error"]["type"]

try:
    client.chat.completions.create(model="auto", messages=[{"role": "user", "content": prompt}])
    seen["over_limit"] = "accepted"
except openai.RateLimitError as error:
    seen["over_limit"] = error.response.headers.get("retry-after")

print(json.dumps(seen))
