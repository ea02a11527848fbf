#!/usr/bin/env python3
"""Checks the chat turns bin/bench-cluster stored, read from an `orbit db backup --export` directory.

Usage: check-cluster-turns.py EXPORT_DIR ACKNOWLEDGED_FILE PREFIX

Every request of the run asked a unique question starting with PREFIX, the mock provider answers
"Echo: <question>", and ACKNOWLEDGED_FILE lists the questions whose reply the client received, one a line.
Prints what was stored against what was acknowledged and whether any turn was lost, doubled or stored out of
order; exits 1 if so.
"""
import json
import sys
from collections import defaultdict
from pathlib import Path


def main():
    export, prefix = Path(sys.argv[1]), sys.argv[3]
    with open(sys.argv[2], encoding="utf-8") as lines:
        acknowledged = {line.rstrip("\n") for line in lines if line.strip()}
    sessions = defaultdict(list)
    with open(export / "chat_history.jsonl", encoding="utf-8") as lines:
        for line in lines:
            message = json.loads(line)
            sessions[message["session_id"]].append(message)

    questions = defaultdict(int)
    turns = 0
    problems = []
    for session, messages in sessions.items():
        messages.sort(key=lambda m: m.get("sequence", 0))
        places = [m.get("sequence") for m in messages]
        if places != list(range(1, len(messages) + 1)):
            problems.append(f"session {session}: places {places[:10]}... are not 1..{len(messages)}")
        stamps = [m["timestamp"]["$date"] for m in messages]
        if stamps != sorted(stamps):
            problems.append(f"session {session}: timestamps go back")
        # A turn is a question and its answer, next to each other: turns never interleave in a session.
        for i in range(0, len(messages), 2):
            question = messages[i]
            answer = messages[i + 1] if i + 1 < len(messages) else None
            if question["role"] != "user" or answer is None or answer["role"] != "assistant" \
                    or answer["content"] != "Echo: " + question["content"]:
                problems.append(f"session {session}: place {i + 1} is not a question followed by its answer")
                break
            if question["content"].startswith(prefix):
                questions[question["content"]] += 1
                turns += 1

    doubled = sum(count - 1 for count in questions.values() if count > 1)
    lost = len(acknowledged - questions.keys())
    unacknowledged = len(questions.keys() - acknowledged)
    print(f"turns acknowledged: {len(acknowledged)}, turns stored: {turns};"
          f" lost (acknowledged, not stored): {lost}, doubled: {doubled}, stored without acknowledgement"
          f" (in flight when wrk stopped, or cut off by the kill): {unacknowledged}")
    print(f"every session in order ({len(sessions)} sessions, warm-up included: places 1..n, each question"
          f" followed by its answer, timestamps never back): " + ("yes" if not problems else f"NO, {len(problems)}"))
    for problem in problems[:10]:
        print("  " + problem)
    return 1 if problems or doubled or lost else 0

if __name__ == "__main__":
    sys.exit(main())
