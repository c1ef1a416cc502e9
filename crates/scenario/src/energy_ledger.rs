//! The energy ledger every lab run carries: what its nodes and messages would cost in energy
//! and carbon, with the coefficients' sources.

use energy::coefficients::{GRIDS, NETWORK_POWER_MODELS, grid, network_power};
use energy::{LedgerConfig, Watts};

/// Idle power charged per node while it is up: a Raspberry Pi, 3.8 W idle, as PureEdgeSim
/// models an edge device (its default device power is 3.8 W idle to 5.5 W at peak; cited in
/// the edge issue's defaults).
pub const NODE_IDLE_POWER: Watts = Watts(3.8);
/// The network model used: a power model, each node's line 4.5 W always on plus 20 nJ per bit
/// per link crossed (Malmodin 2020; see `energy::coefficients::NETWORK_POWER_MODELS`). Not an
/// average kWh/GB figure: such an average spreads the whole internet's power over its traffic
/// and charged per link would make every extra hop cost a whole internet path.
pub const NETWORK_POWER_ID: &str = "fixed-malmodin-2020";
/// The grid used for carbon: the world average, 481 gCO₂e/kWh (Ember, 2023).
pub const GRID_CODE: &str = "WLD";

/// The ledger configuration of lab runs. Per-message entries are kept only for runs up to
/// `keep_messages_up_to_nodes` nodes (their memory grows with every message).
pub fn lab_ledger_config(nodes: u32, keep_messages_up_to_nodes: u32) -> LedgerConfig {
    let network = network_power(NETWORK_POWER_ID).unwrap_or(&NETWORK_POWER_MODELS[0]);
    let grid = grid(GRID_CODE).unwrap_or(&GRIDS[0]);
    let mut config = LedgerConfig::from_power_model(network, grid, Some(NODE_IDLE_POWER));
    config.provenance.push(format!(
        "node: {} W idle while up (a Raspberry Pi as PureEdgeSim models an edge device)",
        NODE_IDLE_POWER.0
    ));
    config.keep_messages = nodes <= keep_messages_up_to_nodes;
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lab_coefficients_exist_and_say_where_they_come_from() {
        assert!(network_power(NETWORK_POWER_ID).is_some());
        assert!(grid(GRID_CODE).is_some());
        let c = lab_ledger_config(25, 100);
        assert!(c.keep_messages);
        assert_eq!(c.provenance.len(), 3);
        assert!(!lab_ledger_config(1_000, 100).keep_messages);
        // Per-message energy is the marginal 20 nJ per bit, and the lines are charged.
        assert!((c.energy_per_bit.0 - 2e-8).abs() < 1e-20);
        assert_eq!(c.line_power, Some(Watts(4.5)));
        assert!(
            c.network_model.contains("power model"),
            "{}",
            c.network_model
        );
    }
}
