print("Hello Grindstone")
