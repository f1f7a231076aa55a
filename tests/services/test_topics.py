"""``Topics.parse``: a state topic's quick match says what the contract's rules say."""

from __future__ import annotations

import pytest

from services.bus.topics import BadTopic, Kind, Topic, Topics

LONGEST = "x" * 128


@pytest.mark.parametrize("root", ["vigie", "a.b+c", "city/dijon"])
@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("state/Streetlight/sl:1", Topic(Kind.STATE, "Streetlight", "sl:1")),
        (f"state/Camera/{LONGEST}", Topic(Kind.STATE, "Camera", LONGEST)),
        ("gateways/cab:1/status", Topic(Kind.GATEWAY, id="cab:1")),
    ],
)
def test_topics_of_the_contract_are_parsed(root, rest, expected):
    assert Topics(root).parse(f"{root}/{rest}") == expected


@pytest.mark.parametrize(
    "topic",
    [
        "vigie/state/Streetlight/bad id",
        f"vigie/state/Streetlight/{LONGEST}x",
        "vigie/state/Streetlight/sl:٣",  # an Arabic-Indic digit is no [0-9]
        "vigie/state/Streetlight/",
        "vigie/state//sl:1",
        "vigie/state/Streetlight/sl:1/extra",
        "vigie/state/Streetlight",
        "vigiestate/Streetlight/sl:1",
        "other/state/Streetlight/sl:1",
    ],
)
def test_state_topics_breaking_the_contract_are_refused(topic):
    with pytest.raises(BadTopic):
        Topics("vigie").parse(topic)


def test_a_root_is_matched_as_written_not_as_a_pattern():
    with pytest.raises(BadTopic):
        Topics("a.b").parse("axb/state/Streetlight/sl:1")
