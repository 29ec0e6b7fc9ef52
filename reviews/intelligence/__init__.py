"""Regional intelligence (R28, R38–R40): the themes of final letters, the picture over time,
agreed actions followed up, the team's view of each area beside the LA's own, and every
action traced back to where it came from. The last stage: it reads every stage before it
and no stage reads it."""
