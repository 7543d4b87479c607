# Belarusian number formats, which Django does not ship: grouped as Belarusians write them (1 389, 2,5), like Russian.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
