package io.wagate.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wagate.Principal;
import io.wagate.client.EmulatorPhone;
import io.wagate.mapping.ConsoleViews.VirtualContact;

/** Demo mode only: the emulator's virtual phone scans the QR code the console shows (docs/CONSOLE.md). */
@ApplicationScoped
public class DemoPhoneService {
  static final String DEFAULT_PHONE = "5511999999999";
  private static final Pattern PHONE = Pattern.compile("^[0-9]{7,20}$");

  private final InstanceService instances;
  private final EmulatorPhone phone;

  public DemoPhoneService(InstanceService instances, EmulatorPhone phone) {
    this.instances = instances;
    this.phone = phone;
  }

  public boolean enabled() {
    return phone.enabled();
  }

  /** Scans {@code qr} for the named instance; the caller must be allowed to use that instance. Yields the phone's JID. */
  public Uni<String> scan(Principal principal, String name, String qr, String number) {
    String phoneNumber = number == null || number.isBlank() ? DEFAULT_PHONE : number.trim();
    if (qr == null || qr.isBlank() || !PHONE.matcher(phoneNumber).matches()) {
      return Uni.createFrom().failure(DomainException.invalidBody());
    }
    return instances.resolve(principal, name).chain(i -> phone.scan(qr, phoneNumber)
        .onFailure().transform(e -> DomainException.failed("Failed to reach the emulator"))).map(answer -> {
      if (answer.status() != 200) {
        // the emulator's own words (docs/EMULATOR.md), e.g. "QR code expired"
        throw DomainException.invalidInput("Emulator refused the scan: " + answer.body().getString("error", "HTTP " + answer.status()));
      }
      return answer.body().getString("jid", "");
    });
  }

  /** The emulator's virtual contacts; none when it runs without them (its contacts database is not configured). */
  public Uni<List<VirtualContact>> contacts() {
    return phone.contacts().onFailure().transform(e -> DomainException.failed("Failed to reach the emulator")).map(answer -> {
      JsonArray list = answer.status() == 200 ? answer.body().getJsonArray("contacts", new JsonArray()) : new JsonArray();
      List<VirtualContact> out = new ArrayList<>(list.size());
      for (int n = 0; n < list.size(); n++) {
        JsonObject c = list.getJsonObject(n);
        out.add(new VirtualContact(c.getString("phone"), c.getString("jid"), c.getString("name"), c.getBoolean("connected", false)));
      }
      return out;
    });
  }
}
