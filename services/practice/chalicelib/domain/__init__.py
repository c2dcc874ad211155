"""Practice rules, no IO: levels and topics, sessions, the sentence bank and mastery, speech jobs,
recordings and progress. Days are Asia/Seoul calendar days throughout (the learners are Korean)."""
