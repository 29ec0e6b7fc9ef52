"""The reviewer's workbook (handbook H; R18–R22, R24): desk analysis and hypotheses,
methods, the conference call, deployment, the notebook, emerging issues and the verbal
feedback record."""
