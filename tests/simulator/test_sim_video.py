"""The simulator's cameras on a real mosquitto: a retained ``streamURL`` that serves JPEG frames to
a token minted from the secrets file, the ``preset`` and ``masks`` commands, a clean stop."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from services.domain.equipment import EquipmentType
from services.domain.privacy_masks import mask_version
from services.domain.stream_tokens import mint
from services.simulator import VideoSettings, build_world
from services.simulator.video import read_mask_folder
from services.simulator.video.secrets_file import SecretsFileError, load_or_create, read_secrets
from tests.simulator.support import command, simulators
from tests.simulator.video_support import Stream, get

SEED = 7
CAMERA = "camera:21231-001"  # one the bundled mask files cover
STATE = "{root}/state/Camera/" + CAMERA
NEW_POLYGONS = [[[10, 10], [200, 10], [200, 120], [10, 120]]]


@pytest.fixture
def secrets_path(tmp_path):
    return tmp_path / "secrets" / "video-secrets.json"


@pytest.fixture
def sim(broker, root, secrets_path):
    """A small simulator serving its cameras, with the bundled masks and a secrets file."""
    world = build_world(SEED, "small")
    assert CAMERA in world.entities
    video = VideoSettings(secrets=load_or_create(secrets_path, world))
    start, stop_all = simulators(
        broker.url, root, SEED, world=world, masks=read_mask_folder(), video=video
    )
    yield start()
    stop_all()


def state_of(listener, root):
    topic = STATE.format(root=root)
    listener.wait_for(lambda: listener.on(topic), what="the camera's retained state")
    return listener.on(topic)[-1]


def token_from(secrets_path, gateway: str) -> str:
    secret = read_secrets(secrets_path)[gateway]
    return mint(secret, CAMERA, "c.bernard", datetime.now(UTC) + timedelta(minutes=5))


def test_the_state_names_a_stream_that_a_token_from_the_secrets_file_opens(
    sim, listen, root, secrets_path
):
    state = state_of(listen(STATE.format(root=root)), root)
    port = sim.stream_server.port
    assert state["streamURL"] == f"http://127.0.0.1:{port}/cameras/{quote(CAMERA, safe=':')}/stream"
    assert state["preset"] == 1
    assert state["maskVersion"] == read_mask_folder().version(CAMERA, 1)

    token = token_from(secrets_path, state["refGateway"])
    with Stream(f"{state['streamURL']}?token={token}") as stream:
        assert stream.status == 200
        frame = next(stream.frames())
    assert frame[:2] == b"\xff\xd8"  # a JPEG's start of image
    status, body, _ = get(state["streamURL"])
    assert (status, body.strip()) == (401, b"missing")

    sim.stop()
    with pytest.raises(ConnectionRefusedError):
        get(f"{state['streamURL']}?token={token}")


def test_a_preset_command_changes_the_preset_and_its_mask_version(sim, listen, root):
    ack = f"{root}/ack/test"
    listener = listen(STATE.format(root=root), ack)
    state_of(listener, root)
    listener.publish(f"{root}/cmd/Camera/{CAMERA}", command("preset", {"preset": 2}, ack))
    listener.wait_for(lambda: [a["status"] for a in listener.on(ack)] == ["accepted", "done"])
    listener.wait_for(lambda: state_of(listener, root)["preset"] == 2)
    state = state_of(listener, root)
    assert state["maskVersion"] == read_mask_folder().version(CAMERA, 2)

    listener.publish(f"{root}/cmd/Camera/{CAMERA}", command("preset", {"preset": 9}, ack))
    listener.wait_for(lambda: state_of(listener, root)["preset"] == 9)
    assert "maskVersion" not in state_of(listener, root)  # the city drew none for it


def test_a_masks_command_with_its_version_is_applied_and_a_wrong_one_refused(sim, listen, root):
    ack = f"{root}/ack/test"
    topic = f"{root}/cmd/Camera/{CAMERA}"
    listener = listen(STATE.format(root=root), ack)
    state_of(listener, root)

    def answer(params):
        message = command("masks", params, ack)
        listener.publish(topic, message)
        listener.wait_for(
            lambda: any(
                a["request_id"] == message["request_id"] and a["status"] != "accepted"
                for a in listener.on(ack)
            )
        )
        return next(
            a
            for a in listener.on(ack)
            if a["request_id"] == message["request_id"] and a["status"] != "accepted"
        )

    wrong = answer({"preset": 1, "version": "0123456789ab", "polygons": NEW_POLYGONS})
    assert (wrong["status"], wrong["reason"]) == ("rejected", "version_mismatch")
    outside = [[[0, 0], [1281, 0], [0, 10]]]
    bad = answer({"preset": 1, "version": "0123456789ab", "polygons": outside})
    assert (bad["status"], bad["reason"]) == ("rejected", "invalid_polygons")
    not_a_list = answer({"preset": 1, "version": "0123456789ab", "polygons": "none"})
    assert (not_a_list["status"], not_a_list["reason"]) == ("rejected", "invalid_params")
    assert state_of(listener, root)["maskVersion"] == read_mask_folder().version(CAMERA, 1)

    version = mask_version(NEW_POLYGONS)
    done = answer({"preset": 1, "version": version, "polygons": NEW_POLYGONS})
    assert done["status"] == "done"
    listener.wait_for(lambda: state_of(listener, root)["maskVersion"] == version)
    view = sim.stream_server.source.camera(CAMERA)
    assert view.masks_version == version  # what the stream burns in is what the state says


# --- the secrets file, without a broker ----------------------------------------------------------
def test_the_secrets_file_is_made_for_its_owner_alone_and_read_back(secrets_path):
    world = build_world(SEED, "small")
    made = load_or_create(secrets_path, world)
    assert set(made) == {c.gateway for c in world.by_type[EquipmentType.CAMERA] if c.gateway}
    assert stat.S_IMODE(os.stat(secrets_path).st_mode) == 0o600
    assert load_or_create(secrets_path, world) == made == read_secrets(secrets_path)


def test_a_gateway_the_file_lacks_gets_a_secret_written_back(secrets_path):
    world = build_world(SEED, "small")
    made = load_or_create(secrets_path, world)
    gateway = sorted(made)[0]
    kept = {g: s for g, s in made.items() if g != gateway}
    secrets_path.write_text(
        '{"%s": "%s"}' % (sorted(kept)[0], "a2VwdA==")  # noqa: UP031 - a file as a city writes it
    )
    again = load_or_create(secrets_path, world)
    assert again[sorted(kept)[0]] == b"kept" and set(again) == set(made)
    assert read_secrets(secrets_path) == again


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"gw": 3}', '{"gw": "***"}', '{"gw": ""}', '{"gw": "%s"}' % ("A" * 100)],
)
def test_a_malformed_secrets_file_is_refused_naming_it(secrets_path, text):
    secrets_path.parent.mkdir(parents=True)
    secrets_path.write_text(text)
    with pytest.raises(SecretsFileError, match="video-secrets.json"):
        load_or_create(secrets_path, build_world(SEED, "small"))
