"""``streamlit run`` for the several-servers benchmark, with a thread dump on demand.

Same as ``python -m streamlit``, except that the signal SIGUSR1 writes every thread's stack to the
server's output (``faulthandler``): when a browser step fails, the benchmark asks the step's
server for one, so that its log shows what the server was doing while the browser waited.
"""

import faulthandler
import signal

from streamlit.web.cli import main

if __name__ == "__main__":
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    main(prog_name="streamlit")
