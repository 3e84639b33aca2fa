def running_totals(amounts):
    """Return the list of sums amounts[0] + ... + amounts[i], for every i."""
    totals = []
    # your code here
    return totals
