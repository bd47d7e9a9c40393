//! The `spreadsheets.batchUpdate` requests that keep the tab usable by people: strict dropdowns on the
//! resolution (C) and model feedback (K) columns, one decimal on the score column, from row 2 down.

use serde_json::{Value, json};

use crate::gateway::Provisioning;

/// The batchUpdate requests for `provisioning`, as the API's JSON.
pub fn requests(provisioning: &Provisioning) -> Value {
    let range = |column: usize| {
        json!({
            "sheetId": provisioning.tab_id,
            "startRowIndex": 1,
            "startColumnIndex": column,
            "endColumnIndex": column + 1,
        })
    };
    let mut requests: Vec<Value> = provisioning
        .dropdowns
        .iter()
        .map(|(column, values)| {
            let values: Vec<Value> = values.iter().map(|v| json!({ "userEnteredValue": v })).collect();
            json!({ "setDataValidation": {
                "range": range(*column),
                "rule": {
                    "condition": { "type": "ONE_OF_LIST", "values": values },
                    "strict": true,
                    "showCustomUi": true,
                },
            }})
        })
        .collect();
    requests.extend(provisioning.one_decimal.iter().map(|column| {
        json!({ "repeatCell": {
            "range": range(*column),
            "cell": { "userEnteredFormat": { "numberFormat": { "type": "NUMBER", "pattern": "0.0" } } },
            "fields": "userEnteredFormat.numberFormat",
        }})
    }));
    Value::Array(requests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropdowns_and_number_format_cover_the_columns_from_row_two_down() {
        let requests = requests(&Provisioning {
            tab_id: 7,
            dropdowns: vec![(2, vec!["PENDING".into(), "ACCEPTED".into()])],
            one_decimal: vec![3],
        });
        assert_eq!(requests[0]["setDataValidation"]["range"]["startColumnIndex"], 2);
        assert_eq!(requests[0]["setDataValidation"]["range"]["startRowIndex"], 1);
        assert_eq!(
            requests[0]["setDataValidation"]["rule"]["condition"]["values"][1]["userEnteredValue"],
            "ACCEPTED"
        );
        assert_eq!(requests[1]["repeatCell"]["range"]["sheetId"], 7);
    }
}
