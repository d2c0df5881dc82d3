"""Customer forms: the account forms (`accounts`) and the forms of the rows of a customer
record edited one at a time (`rows`). They only shape input; the services hold the rules."""
