"""Cases (案件) from 立案 to 结案: filing, stage steps through the shared rules, documents and their gating, transfers."""
