"""The AWS CLI for many calls in one process: reads one call per line (its arguments, NUL-separated,
base64) and runs it through the CLI's own driver (awscli.clidriver, what the `aws` command runs),
its output to OUT and its error output to ERR, then answers the exit code. Python and botocore start
once instead of once per call (0.2 s a call instead of 0.8 s here)."""
import base64
import sys

from awscli.clidriver import create_clidriver


def main(requests, answers, out_path, err_path):
    with open(requests, "rb") as calls, open(answers, "w") as codes:
        for line in calls:
            args = [a.decode("utf-8") for a in base64.b64decode(line.strip()).split(b"\0")[:-1]]
            with open(out_path, "w") as out, open(err_path, "w") as err:
                saved = sys.stdout, sys.stderr
                sys.stdout, sys.stderr = out, err
                try:
                    code = create_clidriver().main(args)
                except SystemExit as e:
                    code = e.code if isinstance(e.code, int) else 1
                finally:
                    sys.stdout, sys.stderr = saved
            codes.write("%d\n" % (code or 0))
            codes.flush()


if __name__ == "__main__":
    main(*sys.argv[1:5])
