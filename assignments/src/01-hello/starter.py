# Print the greeting on the line below.
