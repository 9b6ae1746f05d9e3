package io.wagate.websocket;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wagate.rest.Routes;

/** {@code GET /ws} with a TokenAccount: the events of every instance of the account whose WebSocket is enabled (extension). */
@WebSocket(path = Routes.ACCOUNT_SOCKET)
public class AccountEventsSocket {
  private final EventSockets sockets;

  public AccountEventsSocket(EventSockets sockets) {
    this.sockets = sockets;
  }

  @OnOpen
  public Uni<Void> onOpen(WebSocketConnection connection) {
    return sockets.openAccount(connection);
  }

  @OnClose
  public void onClose(WebSocketConnection connection) {
    sockets.closed(connection);
  }
}
