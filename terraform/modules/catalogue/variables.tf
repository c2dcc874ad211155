# The catalogue takes no inputs: it is the single list of resources both environments
# build, so dev and prod cannot drift from each other or from the Python catalogue.
