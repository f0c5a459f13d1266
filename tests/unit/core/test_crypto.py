"""Private fields are sealed with AES-GCM; tampering and wrong contexts are detected; keys rotate."""

import pytest

from complaints.core.crypto import (
    DecryptionError,
    KeyRing,
    add_key,
    keyring_from_json,
    keyring_to_json,
    load_or_create_keyring,
)


@pytest.fixture
def ring(tmp_path) -> KeyRing:  # type: ignore[no-untyped-def]
    return load_or_create_keyring(tmp_path / "keys.json", None, create=True)


def test_a_value_round_trips_and_is_not_readable_in_storage(ring: KeyRing) -> None:
    token = ring.encrypt("王小明 13800138000", "complaints.contact_phone")
    assert "13800138000" not in token and token.startswith("enc1:k1:")
    assert ring.decrypt(token, "complaints.contact_phone") == "王小明 13800138000"


def test_the_same_value_encrypts_differently_each_time(ring: KeyRing) -> None:
    assert ring.encrypt("same") != ring.encrypt("same")


def test_a_value_moved_to_another_column_or_altered_does_not_decrypt(ring: KeyRing) -> None:
    token = ring.encrypt("secret", "complaints.narrative")
    with pytest.raises(DecryptionError):
        ring.decrypt(token, "complaints.contact_email")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(DecryptionError):
        ring.decrypt(tampered, "complaints.narrative")


def test_after_rotation_old_values_still_decrypt_and_new_ones_use_the_new_key(ring: KeyRing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    old = ring.encrypt("before")
    assert add_key(ring) == "k2"
    new = ring.encrypt("after")
    reloaded = keyring_from_json(keyring_to_json(ring))
    assert reloaded.decrypt(old) == "before" and reloaded.decrypt(new) == "after"
    assert reloaded.key_id_of(old) == "k1" and reloaded.key_id_of(new) == "k2"


def test_keyed_hashes_match_for_equal_values_only_and_depend_on_purpose(ring: KeyRing) -> None:
    assert ring.keyed_hash("+8613800138000", "contact") == ring.keyed_hash("+8613800138000", "contact")
    assert ring.keyed_hash("+8613800138000", "contact") != ring.keyed_hash("+8613900139000", "contact")
    assert ring.keyed_hash("x", "contact") != ring.keyed_hash("x", "narrative")
    assert ring.keyed_hash("", "contact") == ""


def test_files_round_trip_and_detect_tampering(ring: KeyRing) -> None:
    blob = ring.encrypt_bytes(b"\x89PNG evidence", "evidence")
    assert ring.decrypt_bytes(blob, "evidence") == b"\x89PNG evidence"
    with pytest.raises(DecryptionError):
        ring.decrypt_bytes(blob[:-1] + bytes([blob[-1] ^ 1]), "evidence")


def test_production_refuses_to_invent_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError):
        load_or_create_keyring(tmp_path / "missing.json", None, create=False)


def test_a_production_app_refuses_to_start_without_data_keys(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from complaints import create_app
    from complaints.config import Config

    monkeypatch.setenv("COLLECTWATCH_ENV", "production")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://collectwatch.example.test")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATA_KEYS", raising=False)
    monkeypatch.delenv("DATA_KEYS_FILE", raising=False)
    with pytest.raises(RuntimeError, match="DATA_KEYS"):
        create_app(Config())
    assert not (tmp_path / "data_keys.json").exists()
    monkeypatch.setenv("DATA_KEYS", "{not json")
    with pytest.raises(RuntimeError, match="DATA_KEYS"):
        create_app(Config())


def test_data_keys_from_the_environment_are_used_and_no_key_file_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from complaints import create_app
    from complaints.config import TestConfig
    from complaints.core.crypto import EXTENSION, new_keyring_json

    value = new_keyring_json()
    app = create_app(TestConfig(tmp_path, f"sqlite:///{tmp_path / 'x.db'}"), DATA_KEYS=value)
    assert keyring_to_json(app.extensions[EXTENSION]) == keyring_to_json(keyring_from_json(value))
    assert not (tmp_path / "data_keys.json").exists()


def test_a_development_key_file_is_created_readable_by_its_owner_only(ring: KeyRing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert (tmp_path / "keys.json").stat().st_mode & 0o777 == 0o600
