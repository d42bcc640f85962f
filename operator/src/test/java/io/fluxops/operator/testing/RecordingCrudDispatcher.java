package io.fluxops.operator.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The mock API server's CRUD store, recording every write it receives. */
public class RecordingCrudDispatcher extends KubernetesCrudDispatcher {

  /** A write request: method and path. */
  public record Write(String method, String path) {}

  private final List<Write> writes = new CopyOnWriteArrayList<>();

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    record(request);
    return super.handleCreate(request);
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    record(request);
    return super.handleUpdate(request);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    record(request);
    return super.handlePatch(request);
  }

  @Override
  public MockResponse handleDelete(String path) {
    writes.add(new Write("DELETE", path));
    return super.handleDelete(path);
  }

  private void record(RecordedRequest request) {
    writes.add(new Write(request.getMethod(), request.getPath()));
  }

  /** Writes received so far. */
  public List<Write> writes() {
    return List.copyOf(writes);
  }

  public int writeCount() {
    return writes.size();
  }
}
