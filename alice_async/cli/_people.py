"""Generated Vietnamese contacts for the demo: realistic names, unique ``09xxxxxxxx`` numbers.

Everything is drawn from one ``random.Random(seed)``, so a seed always gives the same people
in the same order.
"""

from __future__ import annotations

import random
from typing import Any

__all__ = ["full_name", "generate_contacts"]

# The most common family names, roughly in order of frequency.
_FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip
_FAMILY_WEIGHTS = (38, 11, 9, 7, 5, 5, 4, 4, 4, 2, 2, 2, 1.5, 1.3, 1, 0.5)
_MALE_MIDDLE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Gia", "Công")
_FEMALE_MIDDLE = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Bảo", "Mỹ")
_MALE_GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
    "Khánh", "Khoa", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Quân",
    "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Vinh",
)  # fmt: skip
_FEMALE_GIVEN = (
    "An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương",
    "Lan", "Linh", "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương",
    "Quỳnh", "Tâm", "Thảo", "Thư", "Trang", "Uyên", "Vy", "Yến",
)  # fmt: skip
# Second and third digits of real mobile ranges under the 09 prefix.
_MOBILE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "099")
_CITIES = ("Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế", "Nha Trang")


def full_name(contact: dict[str, Any]) -> str:
    """``"Nguyễn Văn An"`` from a generated contact's ``last_name`` and ``first_name``."""
    return f"{contact['last_name']} {contact['first_name']}"


def generate_contacts(count: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` contacts with distinct numbers, as dicts with the API's field names.

    ``last_name`` holds the family and middle names (``"Nguyễn Văn"``), ``first_name`` the
    given name a script greets (``"An"``), so ``"Xin chào {first_name}"`` reads naturally.

    Example::

        >>> generate_contacts(1, seed=7)[0]["contact"][:2]
        '09'
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    rng = random.Random(seed)
    # 8 prefixes x 10**7 subscriber numbers: sample without replacement for unique numbers.
    slots = rng.sample(range(len(_MOBILE_PREFIXES) * 10**7), count)
    contacts: list[dict[str, Any]] = []
    for index, slot in enumerate(slots):
        prefix, rest = divmod(slot, 10**7)
        female = rng.random() < 0.5
        family = rng.choices(_FAMILY, weights=_FAMILY_WEIGHTS)[0]
        middle = rng.choice(_FEMALE_MIDDLE if female else _MALE_MIDDLE)
        given = rng.choice(_FEMALE_GIVEN if female else _MALE_GIVEN)
        contacts.append(
            {
                "contact": f"{_MOBILE_PREFIXES[prefix]}{rest:07d}",
                "first_name": given,
                "last_name": f"{family} {middle}",
                "additional_vars": {
                    "customer_id": f"KH{index + 1:06d}",
                    "city": rng.choice(_CITIES),
                },
            }
        )
    return contacts
