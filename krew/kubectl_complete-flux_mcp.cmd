@kubectl-flux_mcp __complete %*
