import { start, stop, isTracing } from "@ctjs/runtime";

/**
 * Record / Stop: start() makes the instrumented code report to the recorder; stop() sends the
 * rest of the trace to the dev server, which writes it under ct-traces/.
 */
export function setUpRecorderControls({ recordButton, stopButton, status }) {
  const showState = () => {
    recordButton.disabled = isTracing();
    stopButton.disabled = !isTracing();
  };

  recordButton.addEventListener("click", () => {
    try {
      start();
      status.textContent = "Recording…";
      status.dataset.state = "recording";
    } catch (error) {
      status.textContent = `Could not record: ${error.message}`;
    }
    showState();
  });

  stopButton.addEventListener("click", async () => {
    stopButton.disabled = true;
    status.textContent = "Saving the trace…";
    const result = await stop();
    if (result) {
      status.textContent = `Trace saved to ${result.dir}`;
      status.dataset.state = "saved";
      status.dataset.traceDir = result.dir;
    } else {
      status.textContent = "The trace could not be saved (see the console).";
      status.dataset.state = "failed";
    }
    showState();
  });

  showState();
}
