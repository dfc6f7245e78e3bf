"""Unit tests for the emulator's CBOR codec (python3 -m unittest discover -s test/emulator/tests)."""

import math
import os
import sys
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import cbor  # noqa: E402


class CBORTest(unittest.TestCase):
    def roundtrip(self, value):
        self.assertEqual(cbor.decode(cbor.encode(value)), value)

    def test_rfc8949_appendix_a_vectors(self):
        vectors = [
            (0, "00"), (23, "17"), (24, "1818"), (1000, "1903e8"), (1000000, "1a000f4240"),
            (1000000000000, "1b000000e8d4a51000"), (-1, "20"), (-1000, "3903e7"),
            (1.5, "f93e00"), (65504.0, "f97bff"), (100000.0, "fa47c35000"),
            (1.1, "fb3ff199999999999a"), (-4.0, "f9c400"), (float("inf"), "f97c00"),
            (False, "f4"), (True, "f5"), (None, "f6"), ("", "60"), ("IETF", "6449455446"),
            ("\u00fc", "62c3bc"), (b"\x01\x02\x03\x04", "4401020304"), ([], "80"),
            ([1, [2, 3], [4, 5]], "8301820203820405"), ({}, "a0"),
            ({"a": 1, "b": [2, 3]}, "a26161016162820203"),
            (18446744073709551616, "c249010000000000000000"),
            (-18446744073709551617, "c349010000000000000000"),
        ]
        for value, hexed in vectors:
            with self.subTest(value=value):
                self.assertEqual(cbor.encode(value).hex(), hexed)
                self.assertEqual(cbor.decode(bytes.fromhex(hexed)), value)

    def test_floats_of_every_width_decode(self):
        self.assertEqual(cbor.decode(bytes.fromhex("f93c00")), 1.0)
        self.assertEqual(cbor.decode(bytes.fromhex("f90001")), 5.960464477539063e-08)
        self.assertEqual(cbor.decode(bytes.fromhex("fa7f7fffff")), 3.4028234663852886e38)
        self.assertEqual(cbor.decode(bytes.fromhex("fb7e37e43c8800759c")), 1.0e300)
        self.assertTrue(math.isnan(cbor.decode(bytes.fromhex("f97e00"))))
        self.assertTrue(math.isnan(cbor.decode(cbor.encode(float("nan")))))

    def test_indefinite_lengths(self):
        self.assertEqual(cbor.decode(bytes.fromhex("5f42010243030405ff")), b"\x01\x02\x03\x04\x05")
        self.assertEqual(cbor.decode(bytes.fromhex("7f657374726561646d696e67ff")), "streaming")
        self.assertEqual(cbor.decode(bytes.fromhex("9fff")), [])
        self.assertEqual(cbor.decode(bytes.fromhex("9f018202039f0405ffff")), [1, [2, 3], [4, 5]])
        self.assertEqual(cbor.decode(bytes.fromhex("bf61610161629f0203ffff")), {"a": 1, "b": [2, 3]})
        self.assertEqual(cbor.decode(bytes.fromhex("bf6346756ef563416d7421ff")), {"Fun": True, "Amt": -2})

    def test_timestamps(self):
        self.assertEqual(cbor.decode(bytes.fromhex("c11a514b67b0")), datetime(2013, 3, 21, 20, 4, tzinfo=timezone.utc))
        when = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=timezone.utc)
        self.assertEqual(cbor.decode(cbor.encode(when)), when)
        naive = datetime(2024, 5, 1, 12, 30, 15)
        self.assertEqual(cbor.decode(cbor.encode(naive)), naive.replace(tzinfo=timezone.utc))

    def test_tags_simple_and_undefined(self):
        self.assertEqual(cbor.decode(bytes.fromhex("d74401020304")), cbor.Tagged(23, b"\x01\x02\x03\x04"))
        self.assertIs(cbor.decode(bytes.fromhex("f7")), cbor.UNDEFINED)
        self.assertEqual(cbor.encode(cbor.UNDEFINED), b"\xf7")
        self.roundtrip(cbor.Tagged(32, "http://www.example.com"))

    def test_nested_roundtrip(self):
        self.roundtrip({"MetricAlarms": [{"AlarmName": "a", "Threshold": 80.5, "Period": 60,
                                          "Dimensions": [{"Name": "CacheClusterId", "Value": "x-001"}]}],
                        "NextToken": None})

    def test_errors(self):
        for bad in ["", "18", "62c3", "ff", "8201", "0000", "1c", "62c328"]:
            with self.subTest(bad=bad):
                with self.assertRaises(cbor.CBORDecodeError):
                    cbor.decode(bytes.fromhex(bad))


if __name__ == "__main__":
    unittest.main()
