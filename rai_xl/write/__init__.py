"""The writers of rai-xl's outputs."""
