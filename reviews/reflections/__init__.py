"""Reflections (handbook K; R8, R27): each one's own and their colleagues', anonymous,
seen only as the team's composite."""
