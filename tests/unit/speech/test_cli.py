import json

from speaktracker.speech.__main__ import main


def test_synthesize_then_assess(tmp_path, capsys):
    out = tmp_path / "day.wav"
    assert main(["synthesize", "How was your day?", str(out)]) == 0
    assert out.read_bytes()[:4] == b"RIFF"
    assert "day@" in capsys.readouterr().out
    assert main(["assess", str(out), "How was your day?"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["completenessScore"] == 100
    assert [w["text"] for w in payload["words"]] == ["How", "was", "your", "day"]


def test_unusable_audio_prints_the_reason(tmp_path, capsys):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert main(["assess", str(empty), "Hello"]) == 2
    assert json.loads(capsys.readouterr().err) == {"error": "AUDIO_EMPTY", "message": "The recording is empty."}
