import sys

data = sys.stdin.read()
# Turn the text into two numbers and print their sum.
