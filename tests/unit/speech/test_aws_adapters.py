"""Polly and Transcribe adapters: request shapes and parsing, with botocore's Stubber (moto's speech is fake)."""

import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from speaktracker.settings import Settings
from speaktracker.speech import SpeechEngineError, build_speech
from speaktracker.speech.adapters.polly import PollySynthesizer
from speaktracker.speech.adapters.transcribe import TranscribeRecognizer, media_format
from speaktracker.speech.audio import decode_recording, encode_recording


def client(name):
    return boto3.client(name, region_name="ap-northeast-2", aws_access_key_id="x", aws_secret_access_key="x")


def body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


def test_polly_audio_and_word_marks(speak):
    mp3 = encode_recording(decode_recording(speak("Hello there")), "mp3", "libmp3lame")
    marks = (
        b'{"time":6,"type":"word","start":0,"end":5,"value":"Hello"}\n'
        b'{"time":400,"type":"word","start":6,"end":11,"value":"there"}\n'
    )
    polly = client("polly")
    request = {"Text": "Hello there", "VoiceId": "Seoyeon", "Engine": "neural"}
    with Stubber(polly) as stub:
        stub.add_response(
            "synthesize_speech",
            {"AudioStream": body(mp3), "ContentType": "audio/mpeg"},
            {**request, "OutputFormat": "mp3"},
        )
        stub.add_response(
            "synthesize_speech",
            {"AudioStream": body(marks), "ContentType": "application/x-json-stream"},
            {**request, "OutputFormat": "json", "SpeechMarkTypes": ["word"]},
        )
        speech = PollySynthesizer(polly).synthesize("Hello there", "Seoyeon", word_times=True)
        stub.assert_no_pending_responses()
    assert speech.format == "mp3" and speech.content_type == "audio/mpeg" and speech.audio == mp3
    assert [(w.text, w.start, w.end) for w in speech.words] == [("Hello", 0.006, 0.4), ("there", 0.4, speech.duration)]


def test_polly_makes_one_request_unless_word_times_are_asked(speak):
    """Word marks are a second, billed request: practice and conversation never ask for them."""
    mp3 = encode_recording(decode_recording(speak("Hello there")), "mp3", "libmp3lame")
    polly = client("polly")
    request = {"Text": "Hello there", "VoiceId": "Seoyeon", "Engine": "neural", "OutputFormat": "mp3"}
    with Stubber(polly) as stub:
        stub.add_response("synthesize_speech", {"AudioStream": body(mp3), "ContentType": "audio/mpeg"}, request)
        speech = PollySynthesizer(polly).synthesize("Hello there", "Seoyeon")
        stub.assert_no_pending_responses()
    assert speech.audio == mp3 and speech.words == [] and speech.duration > 0


def test_polly_errors_become_engine_errors():
    polly = client("polly")
    with Stubber(polly) as stub:
        stub.add_client_error("synthesize_speech", "TextLengthExceededException")
        with pytest.raises(SpeechEngineError):
            PollySynthesizer(polly).synthesize("x")


TRANSCRIPT = {
    "results": {
        "transcripts": [{"transcript": "How was your day?"}],
        "items": [
            {
                "type": "pronunciation",
                "start_time": "0.1",
                "end_time": "0.3",
                "alternatives": [{"content": "How", "confidence": "0.99"}],
            },
            {
                "type": "pronunciation",
                "start_time": "0.3",
                "end_time": "0.5",
                "alternatives": [{"content": "was", "confidence": "0.9"}],
            },
            {
                "type": "pronunciation",
                "start_time": "0.5",
                "end_time": "0.7",
                "alternatives": [{"content": "your", "confidence": "0.8"}],
            },
            {
                "type": "pronunciation",
                "start_time": "0.7",
                "end_time": "1.0",
                "alternatives": [{"content": "day", "confidence": "0.95"}],
            },
            {"type": "punctuation", "alternatives": [{"content": "?", "confidence": "0.0"}]},
        ],
    }
}


def test_transcribe_uploads_starts_polls_and_reads_the_transcript():
    transcribe, s3 = client("transcribe"), client("s3")
    job, key = "speaktracker-abc", "transcribe/speaktracker-abc"
    with Stubber(transcribe) as ts, Stubber(s3) as ss:
        ss.add_response("put_object", {}, {"Bucket": "media", "Key": f"{key}.webm", "Body": b"\x1a\x45\xdf\xa3data"})
        ts.add_response(
            "start_transcription_job",
            {"TranscriptionJob": {"TranscriptionJobName": job}},
            {
                "TranscriptionJobName": job,
                "LanguageCode": "en-US",
                "MediaFormat": "webm",
                "Media": {"MediaFileUri": f"s3://media/{key}.webm"},
                "OutputBucketName": "media",
                "OutputKey": f"{key}.json",
            },
        )
        ts.add_response(
            "get_transcription_job",
            {"TranscriptionJob": {"TranscriptionJobStatus": "IN_PROGRESS"}},
            {"TranscriptionJobName": job},
        )
        ts.add_response(
            "get_transcription_job",
            {"TranscriptionJob": {"TranscriptionJobStatus": "COMPLETED"}},
            {"TranscriptionJobName": job},
        )
        ss.add_response(
            "get_object", {"Body": body(json.dumps(TRANSCRIPT).encode())}, {"Bucket": "media", "Key": f"{key}.json"}
        )
        sleeps = []
        recognizer = TranscribeRecognizer(transcribe, s3, "media", sleep=sleeps.append, new_id=lambda: "abc")
        transcript = recognizer.recognize(b"\x1a\x45\xdf\xa3data", "audio/webm;codecs=opus")
    assert transcript.text == "How was your day?"
    assert [(w.text, w.start, w.end, w.confidence) for w in transcript.words][-1] == ("day", 0.7, 1.0, 0.95)
    assert len(transcript.words) == 4 and sleeps == [1.0]


def test_a_failed_transcription_job_is_an_engine_error():
    transcribe, s3 = client("transcribe"), client("s3")
    with Stubber(transcribe) as ts, Stubber(s3) as ss:
        ss.add_response("put_object", {})
        ts.add_response("start_transcription_job", {"TranscriptionJob": {}})
        ts.add_response(
            "get_transcription_job",
            {"TranscriptionJob": {"TranscriptionJobStatus": "FAILED", "FailureReason": "bad media"}},
        )
        with pytest.raises(SpeechEngineError, match="bad media"):
            TranscribeRecognizer(transcribe, s3, "media", sleep=lambda s: None).recognize(b"RIFFxxxx")


def test_media_format_from_content_type_or_magic_bytes():
    assert media_format(b"", "audio/ogg; codecs=opus") == "ogg"
    assert media_format(b"RIFF....", None) == "wav"
    assert media_format(b"ID3....", None) == "mp3"


def test_factory_picks_the_engine():
    local = build_speech(Settings(speech_engine="local"))
    assert type(local.synthesizer).__name__ == "EspeakSynthesizer"
    with pytest.raises(ValueError):
        build_speech(Settings(speech_engine="aws"))
    aws = build_speech(
        Settings(speech_engine="aws"),
        polly_client=client("polly"),
        transcribe_client=client("transcribe"),
        s3_client=client("s3"),
        transcribe_bucket="media",
    )
    assert isinstance(aws.synthesizer, PollySynthesizer) and isinstance(aws.recognizer, TranscribeRecognizer)
    assert aws.assessor is local.assessor
