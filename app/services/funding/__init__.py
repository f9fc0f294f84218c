"""Funding: donors, agreements, expenditure and beneficiaries."""
