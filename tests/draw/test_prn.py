"""The public hash construction: fixed test vectors (checked with coreutils' sha256sum) and its properties."""
from planner.draw import prn

# printf '20261001|91330822000000001C' | sha256sum
VECTOR = "0503f402e7fe9879d46eae277034297239efdd0766ca3e05df8fc6134efb0568"


def test_business_key_is_sha256_of_seed_bar_code_in_utf8():
    assert prn.business_key("20261001", "91330822000000001C") == VECTOR


def test_non_ascii_seed_is_encoded_as_utf8():
    # printf '公开种子|91330822000000001C' | sha256sum
    assert prn.business_key("公开种子", "91330822000000001C") == \
        "3303a48edb482e48bcea29ad29d6897b9a3214b9bb400a3b82aa625d4296f41b"


def test_fraction_reads_the_hex_key_as_a_256_bit_number():
    assert prn.prn("20261001", "91330822000000001C") == int(VECTOR, 16) / 2**256
    assert abs(prn.prn("20261001", "91330822000000001C") - 0.0195915705771) < 1e-12


def test_keys_of_item_and_inspector_join_every_part_with_a_bar():
    assert prn.item_business_key("s", "I1", "X") == prn.prn_key("s|I1|X")
    assert prn.inspector_key("s", "X", "D1", "P1") == prn.prn_key("s|X|D1|P1")
    assert prn.item_business_key("s", "I1", "X") != prn.business_key("s", "X")


def test_text_order_of_hex_keys_is_the_order_of_the_numbers():
    keys = {str(n): prn.prn_key("seed", str(n)) for n in range(500)}
    by_text = prn.random_order(keys, keys)
    by_number = sorted(keys, key=lambda c: int(keys[c], 16))
    assert by_text == by_number


def test_frame_digest_ignores_input_order_and_joins_sorted_codes_with_newlines():
    # printf 'A\nB' | sha256sum
    expected = "23519a43c66b4c342f25b32e09797ec5f3fc0be388cd8243fb3449afbdce4013"
    assert prn.frame_digest(["B", "A"]) == prn.frame_digest(["A", "B"]) == expected


def test_new_seed_is_twenty_decimal_digits_and_fresh():
    seeds = {prn.new_seed() for _ in range(20)}
    assert all(len(s) == 20 and s.isdigit() for s in seeds)
    assert len(seeds) == 20


def test_fast_keyer_gives_the_published_key_as_raw_bytes():
    key = prn.keyer("s", "91330822000000001C", "D1")
    for officer in ("P1", "P2", "执法01"):
        assert key(officer).hex() == prn.inspector_key("s", "91330822000000001C", "D1", officer)
