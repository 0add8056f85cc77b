"""The narrative parts of a disclosure: the overview, the explanations, project descriptions,
performance tables, cited documents and indicator values, read into records."""
