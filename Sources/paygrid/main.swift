print("paygrid")
