package io.fluxops.operator.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The mock API server's CRUD store, recording every write it receives, and failing chosen writes
 * the way a struggling API server does: a status code, or no answer in time.
 */
public class RecordingCrudDispatcher extends KubernetesCrudDispatcher {

  /** A write request: method and path. */
  public record Write(String method, String path) {}

  /** How an injected fault answers: an HTTP status, or a reply delayed by {@code delay}. */
  public record Fault(int status, Duration delay) {
    public static Fault status(int code) {
      return new Fault(code, Duration.ZERO);
    }

    public static Fault hang(Duration delay) {
      return new Fault(504, delay);
    }
  }

  private record Injection(Predicate<Write> matches, AtomicInteger remaining, Fault fault) {}

  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private final List<Write> failed = new CopyOnWriteArrayList<>();
  private final List<Injection> injections = new CopyOnWriteArrayList<>();
  private final AtomicLong requests = new AtomicLong();

  /** Fails the next {@code times} writes that match. */
  public void inject(Predicate<Write> matches, int times, Fault fault) {
    injections.add(new Injection(matches, new AtomicInteger(times), fault));
  }

  /** Writes that were answered with an injected fault. */
  public List<Write> failedWrites() {
    return List.copyOf(failed);
  }

  /** Every request received, reads and watches included. */
  public long requestCount() {
    return requests.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.incrementAndGet();
    if (request.getPath().contains("/selfsubjectrulesreviews")) {
      return leaseAccess();
    }
    if (!"GET".equals(request.getMethod())) {
      Write write = new Write(request.getMethod(), request.getPath());
      for (Injection injection : injections) {
        if (injection.matches().test(write) && injection.remaining().getAndDecrement() > 0) {
          failed.add(write);
          return faultResponse(injection.fault());
        }
      }
    }
    return super.dispatch(request);
  }

  /**
   * What an API server answers a SelfSubjectRulesReview with when RBAC grants the operator the
   * Lease verbs, as the Helm chart does. The CRUD store cannot evaluate RBAC itself.
   */
  private static MockResponse leaseAccess() {
    return new MockResponse()
        .setResponseCode(201)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                + "\"spec\":{},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
                + "\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],"
                + "\"resources\":[\"leases\"],\"verbs\":[\"get\",\"create\",\"update\"]}]}}");
  }

  private static MockResponse faultResponse(Fault fault) {
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
            + fault.status()
            + ",\"reason\":\"InjectedFault\",\"message\":\"injected by the test\"}";
    return new MockResponse()
        .setResponseCode(fault.status())
        .setHeader("Content-Type", "application/json")
        .setBody(body)
        .setBodyDelay(fault.delay());
  }

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
