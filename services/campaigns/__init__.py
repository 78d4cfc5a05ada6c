"""Strike-hard special campaigns and public-order situation analysis."""
