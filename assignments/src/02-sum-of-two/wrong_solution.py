import sys

first, second = sys.stdin.read().split()
print(first + second)
