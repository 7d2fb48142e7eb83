#!/usr/bin/env python3
"""Generates traffic/everyday.jsonl: a realistic day of everyday requests to a model API
(written for Assay, not taken from any dataset), for `assay traffic replay`.

Each line is one request: {"id", "kind", "api", "body"} where `api` is `openai` (the body is an
OpenAI chat-completions request) or `anthropic` (a Messages request), both with model "auto".
Kinds: chat (greetings and small talk, some multi-turn), question (short factual questions),
translate (one-line translations), rewrite (tone, grammar, length), summary (short passages),
agent (a coding or support agent's turn with tools, some carrying a tool result).

The prompts are composed from hand-written pieces below with a fixed seed, so the file is the
same on every run. Run from the repository root: python3 scripts/trafficgen/everyday.py"""
import json
import random

SEED = 16
COUNT = 600

GREETINGS = ["hi", "hello!", "hey there", "good morning", "hiya, how's it going?", "hello, are you there?",
             "morning! quick one for you", "hey, thanks for yesterday", "yo", "hi again"]
SMALL_TALK = ["how are you today?", "what should I cook tonight with rice and spinach?",
              "I'm bored, suggest something to do this evening", "tell me a short joke about cats",
              "any tips for falling asleep faster?", "what's a good name for a grey kitten?",
              "recommend a board game for four people", "give me a fun fact about octopuses",
              "I have 20 minutes free, what could I read?", "cheer me up, rough day at work",
              "what's a polite way to decline a meeting?", "suggest a weekend hike idea near a lake",
              "what should I get my dad for his 60th birthday?", "help me pick a houseplant for a dark room"]
FOLLOW_UPS = ["thanks! and something quicker?", "nice, one more please", "ok but without the oven",
              "haha good one, another?", "can you make it shorter?", "what about for kids?"]

COUNTRIES = ["France", "Kenya", "Peru", "Norway", "Vietnam", "Canada", "Portugal", "Egypt", "Chile", "Poland",
             "New Zealand", "Morocco", "Japan", "Ghana", "Austria", "Colombia", "Finland", "Thailand"]
QUESTION_TEMPLATES = ["what's the capital of {c}?", "capital of {c}", "which currency does {c} use?",
                      "what language do people speak in {c}?", "how many people live in {c}, roughly?",
                      "what time zone is {c} in?"]
OTHER_QUESTIONS = ["how many ounces in a pound?", "what's 15% of 80?", "convert 30 celsius to fahrenheit",
                   "how long do I boil an egg for soft yolk?", "who wrote Pride and Prejudice?",
                   "what does HTTP 404 mean?", "is a tomato a fruit?", "how far is the moon from earth?",
                   "what year did the Berlin wall fall?", "how many days are in a leap year?",
                   "what's the boiling point of water at sea level?", "what does 'per diem' mean?",
                   "how many tablespoons in a cup?", "what's the difference between weather and climate?",
                   "why is the sky blue, in one sentence?", "what is a haiku?", "how many legs does a spider have?",
                   "what is the square root of 144?", "define 'ubiquitous'", "what's the plural of cactus?"]

PHRASES = ["Where is the train station?", "Thank you very much for your help.", "Can I pay by card?",
           "The meeting is moved to Thursday.", "I would like a table for two, please.", "How much does this cost?",
           "Please send me the invoice by Friday.", "My flight has been delayed.", "Happy birthday, my friend!",
           "Is this seat taken?", "We are closed on Sundays.", "The package arrived damaged.",
           "I am allergic to peanuts.", "See you tomorrow morning.", "Could you speak more slowly?"]
LANGUAGES = ["French", "Spanish", "German", "Italian", "Portuguese", "Dutch", "Japanese", "Polish", "Swedish", "Turkish"]
TRANSLATE_TEMPLATES = ["translate to {l}: {p}", "How do you say \"{p}\" in {l}?", "{p} -> {l}",
                       "Translate into {l}, just the sentence please: {p}", "in {l}: {p}"]

DRAFTS = ["hey can u send me the report asap, need it for the thing tmrw",
          "we cant do the refund because its been more than 30 days sorry",
          "the new feature is done but theres some bugs we still gotta fix before launch",
          "I think maybe we should possibly consider moving the deadline a bit later if that's ok",
          "your order is late because the warehouse messed up, it'll ship monday",
          "pls review my PR when u have time, its the one about login",
          "meeting notes: budget ok, hiring paused, launch in march, ana owns docs",
          "i'm writing to complain about the noise from the apartment above mine every night after 11",
          "our app crashed for some users yesterday we fixed it now",
          "can we move our 1:1 to thursday im swamped today"]
REWRITE_TEMPLATES = ["Make this more formal: {d}", "Rewrite politely: {d}", "fix the grammar: {d}",
                     "Make this sound friendlier: {d}", "Shorten to one sentence: {d}",
                     "Rewrite this for a customer email: {d}", "turn this into a bullet list: {d}"]

TOPICS = [("our team offsite", ["We met in Lisbon for three days.", "Day one covered the roadmap and the Q3 goals.",
                                "Day two was workshops on onboarding and support tooling.",
                                "We agreed to ship the new billing page by September and to hire two support engineers.",
                                "Feedback was positive, though people wanted fewer slides."]),
          ("a library opening", ["The city opened its new central library on Saturday.",
                                 "It has four floors, a maker space with 3D printers and a children's wing.",
                                 "Opening hours are 8 to 22 every day, including Sundays.",
                                 "The old building will become a community centre next year.",
                                 "Around 5,000 visitors came on the first day."]),
          ("a product recall", ["A kettle maker is recalling 12,000 units sold between March and May.",
                                "The lid can come loose when the kettle is tipped, risking burns.",
                                "Owners should stop using it and register on the company's site for a free replacement.",
                                "No injuries have been reported so far.",
                                "Other models are not affected."]),
          ("a study on sleep", ["Researchers followed 2,000 adults for a year.",
                                "Those who kept a regular bedtime reported better mood and focus.",
                                "The total hours slept mattered less than regularity.",
                                "Screen use in the last hour before bed was linked to later sleep.",
                                "The authors call for larger trials before giving advice."]),
          ("a support ticket thread", ["The customer could not export invoices as PDF since Tuesday.",
                                       "Support reproduced it on accounts with more than 500 invoices.",
                                       "Engineering found a timeout in the export job and raised it.",
                                       "The customer confirmed the export now works.",
                                       "A follow-up task was filed to make exports run in the background."])]
SUMMARY_TEMPLATES = ["Summarize in two sentences:\n\n{t}", "tl;dr please:\n{t}", "Give me the key points of this:\n\n{t}",
                     "Summarise this for my manager in one line: {t}", "What's the gist? {t}"]

TOOLS = {
    "get_weather": {"description": "Current weather for a city.",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
    "search_orders": {"description": "Find a customer's orders by e-mail or order number.",
                      "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}},
    "read_file": {"description": "Read a file from the repository.",
                  "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}},
    "run_tests": {"description": "Run the project's test suite and return the failures.",
                  "parameters": {"type": "object", "properties": {"filter": {"type": "string"}}}},
    "create_ticket": {"description": "Open a support ticket.",
                      "parameters": {"type": "object", "properties": {"title": {"type": "string"}, "priority": {"type": "string"}},
                                     "required": ["title"]}},
}
AGENT_TASKS = [("get_weather", "Do I need an umbrella in {city} today?", {"city": "{city}"},
                '{{"city": "{city}", "temp_c": 14, "rain_probability": 0.7}}'),
               ("search_orders", "Where is my order {order}? It was supposed to arrive yesterday.", {"query": "{order}"},
                '{{"order": "{order}", "status": "in transit", "eta": "tomorrow"}}'),
               ("read_file", "Why does the build fail in {path}? Have a look.", {"path": "{path}"},
                '"import utils\\nfrom config import SETTINGS\\n\\ndef main():\\n    return utils.run(SETTINGS)\\n"'),
               ("run_tests", "Run the tests for the {module} module and tell me what broke.", {"filter": "{module}"},
                '"2 failed: test_{module}_parses_dates, test_{module}_rejects_empty"'),
               ("create_ticket", "The dashboard for {module} is blank for everyone, please open a ticket.",
                {"title": "{module} dashboard blank", "priority": "high"}, '{{"ticket": "OPS-{n}"}}')]
CITIES = ["Oslo", "Lyon", "Austin", "Osaka", "Leeds", "Porto", "Quito", "Accra", "Perth", "Graz"]
PATHS = ["src/app/main.py", "lib/parser.ts", "cmd/server/main.go", "app/models/user.rb", "src/router.rs"]
MODULES = ["billing", "search", "auth", "export", "scheduler", "notifications"]
AGENT_SYSTEMS = ["You are a helpful assistant with tools. Call a tool when it helps.",
                 "You are the support agent for an online shop. Use the tools to look things up.",
                 "You are a coding agent working in the user's repository."]


def fill(value, slots):
    if isinstance(value, str):
        return value.format(**slots)
    return {k: fill(v, slots) for k, v in value.items()}


def chat(rng):
    opener = rng.choice(GREETINGS)
    if rng.random() < 0.35:
        return [{"role": "user", "content": opener}]
    ask = rng.choice(SMALL_TALK)
    if rng.random() < 0.5:
        return [{"role": "user", "content": f"{opener} {ask}"}]
    return [{"role": "user", "content": ask}, {"role": "assistant", "content": "Here's an idea: " + rng.choice(
        ["try something new and simple.", "keep it short and easy.", "start small and see how it goes."])},
            {"role": "user", "content": rng.choice(FOLLOW_UPS)}]


def question(rng):
    if rng.random() < 0.5:
        return [{"role": "user", "content": rng.choice(QUESTION_TEMPLATES).format(c=rng.choice(COUNTRIES))}]
    return [{"role": "user", "content": rng.choice(OTHER_QUESTIONS)}]


def translate(rng):
    return [{"role": "user", "content": rng.choice(TRANSLATE_TEMPLATES).format(l=rng.choice(LANGUAGES), p=rng.choice(PHRASES))}]


def rewrite(rng):
    return [{"role": "user", "content": rng.choice(REWRITE_TEMPLATES).format(d=rng.choice(DRAFTS))}]


def summary(rng):
    topic, sentences = rng.choice(TOPICS)
    picked = sentences[:rng.randint(3, len(sentences))]
    return [{"role": "user", "content": rng.choice(SUMMARY_TEMPLATES).format(t=" ".join(picked))}]


def agent(rng, api):
    tool, ask, arguments, result = rng.choice(AGENT_TASKS)
    slots = {"city": rng.choice(CITIES), "order": f"A{rng.randint(10000, 99999)}", "path": rng.choice(PATHS),
             "module": rng.choice(MODULES), "n": rng.randint(100, 999)}
    system = rng.choice(AGENT_SYSTEMS)
    user = ask.format(**slots)
    tools = [tool] + rng.sample([t for t in TOOLS if t != tool], k=rng.randint(0, 2))
    call_arguments = json.dumps(fill(arguments, slots))
    with_result = rng.random() < 0.5
    if api == "openai":
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        if with_result:
            messages += [{"role": "assistant", "content": None,
                          "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": tool, "arguments": call_arguments}}]},
                         {"role": "tool", "tool_call_id": "call_1", "content": result.format(**slots)}]
        return {"messages": messages,
                "tools": [{"type": "function", "function": {"name": t, **TOOLS[t]}} for t in tools]}
    messages = [{"role": "user", "content": user}]
    if with_result:
        messages += [{"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": tool,
                                                        "input": json.loads(call_arguments)}]},
                     {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                                   "content": result.format(**slots)}]}]
    return {"system": system, "messages": messages,
            "tools": [{"name": t, "description": TOOLS[t]["description"], "input_schema": TOOLS[t]["parameters"]} for t in tools]}


KINDS = [("chat", 0.22, chat), ("question", 0.22, question), ("translate", 0.14, translate),
         ("rewrite", 0.14, rewrite), ("summary", 0.12, summary), ("agent", 0.16, None)]


def request(rng, number):
    kind, _, make = rng.choices(KINDS, weights=[k[1] for k in KINDS])[0]
    api = "anthropic" if rng.random() < 0.3 else "openai"
    if kind == "agent":
        body = agent(rng, api)
    else:
        messages = make(rng)
        if api == "openai" and rng.random() < 0.2:
            messages = [{"role": "system", "content": "You are a helpful assistant."}] + messages
        body = {"messages": messages}
    body = {"model": "auto", **body, "max_tokens": rng.choice([256, 512, 1024, 2048])}
    return {"id": f"everyday-{number:04d}", "kind": kind, "api": api, "body": body}


def main():
    rng = random.Random(SEED)
    with open("traffic/everyday.jsonl", "w") as out:
        for number in range(1, COUNT + 1):
            out.write(json.dumps(request(rng, number), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
