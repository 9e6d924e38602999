/*
 * `report_cli report ARGS` runs cmd_report() as runner/cli/main.c dispatches it,
 * so the report tests need nothing else from the faultsweep binary.
 */
int cmd_report(int argc, char **argv);

int main(int argc, char **argv)
{
	return argc < 2 ? 2 : cmd_report(argc - 1, argv + 1);
}
