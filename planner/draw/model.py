"""The draw's data: what was drawn (pairs, frames) and the random inspector orders. No I/O, no solver."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DrawnPair:
    """One row of draw.csv: business `credit_code` drawn for item `item_id` in its risk class."""
    item_id: str
    dept_id: str
    credit_code: str
    risk_level: str
    frame_size: int
    sample_size: int
    rank: int  # 1 = smallest random number in the frame


@dataclass(frozen=True, slots=True)
class Frame:
    """抽查对象框 of one item in one credit-risk class: its eligible businesses, in random order."""
    item_id: str
    dept_id: str
    risk_level: str
    sample_size: int
    sha256: str  # prn.frame_digest of the codes
    codes: tuple[str, ...]  # random order: the first `sample_size` are drawn

    @property
    def frame_size(self) -> int:
        return len(self.codes)

    @property
    def sample(self) -> tuple[str, ...]:
        return self.codes[:self.sample_size]

    def summary(self) -> dict:
        return {"item_id": self.item_id, "dept_id": self.dept_id, "risk_level": self.risk_level,
                "frame_size": self.frame_size, "sample_size": self.sample_size, "sha256": self.sha256}


@dataclass
class Draw:
    """双随机: the drawn (item, business) pairs and, per (business, department), the random officer order."""
    seed: str
    pairs: list[DrawnPair]  # sorted by (item_id, risk_level, rank)
    # (credit_code, dept_id) -> eligible officers in random order, through the last 片区 group the shortlist reaches
    orders: dict[tuple[str, str], tuple[str, ...]]
    shortlists: dict[tuple[str, str], tuple[str, ...]]  # the officers of the order the scheduler may choose from
    frames: list[Frame]  # sorted by (item_id, risk_level)
    parameters: dict
    period: str = ""
    inputs_sha256: dict[str, str] = field(default_factory=dict)
    inspector_zone: dict[str, str] = field(default_factory=dict)  # officer -> 片区, for inspector_orders.csv
    order_figures: dict = field(default_factory=dict)  # orders reaching other 片区, orders too short

    def shortlist(self, credit_code: str, dept_id: str) -> tuple[str, ...]:
        return self.shortlists.get((credit_code, dept_id), ())

    def by_business(self) -> dict[str, list[DrawnPair]]:
        """credit_code -> its drawn pairs: each key is one visit to schedule (综合查一次)."""
        out: dict[str, list[DrawnPair]] = {}
        for pair in self.pairs:
            out.setdefault(pair.credit_code, []).append(pair)
        return {code: out[code] for code in sorted(out)}
