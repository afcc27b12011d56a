"""CBS StatLine figures (Kerncijfers wijken en buurten and friends) into raw, long format."""
