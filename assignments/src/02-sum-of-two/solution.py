import sys

first, second = sys.stdin.read().split()
print(int(first) + int(second))
