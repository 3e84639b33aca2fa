print("Hello, Grindstone!")
