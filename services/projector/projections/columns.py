"""What the read models' columns take: a replay, folding in memory, refuses what they refuse."""

INT4 = range(-(2**31), 2**31)  # an `integer` column's values


def out_of_range(value: int) -> str | None:
    """The projector's reason for a value an `integer` column refuses, or None.

    The projector's statements take such a value as a parameter, which PostgreSQL refuses
    whether or not a row is changed: so a replay refuses the event, whatever state it meets."""
    if value in INT4:
        return None
    return "PostgreSQL refused it: NumericValueOutOfRange: integer out of range"
