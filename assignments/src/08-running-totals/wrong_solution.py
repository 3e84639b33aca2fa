def running_totals(amounts):
    """Return the list of sums amounts[0] + ... + amounts[i], for every i."""
    totals = []
    total = 0
    for amount in amounts:
        totals.append(total)
        total += amount
    return totals
