# Usage errors exit 2 with a message naming the problem.
$DSAUDIT scan; echo "exit $?"
$DSAUDIT scan --format xml x; echo "exit $?"
$DSAUDIT scan --fail-on severe x; echo "exit $?"
$DSAUDIT scan --min-confidence 2 x; echo "exit $?"
$DSAUDIT scan --bogus x; echo "exit $?"
$DSAUDIT frobnicate 2>/dev/null; echo "exit $?"
$DSAUDIT --version
