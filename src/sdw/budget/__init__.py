"""A gemeente's inkoop catalogue and budget plafonds (CSV) into raw."""
